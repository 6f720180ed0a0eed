-- team_allocation · 班组奖惩分配 — what a team manager sees to split the team's satisfaction
-- reward/penalty of a month (SPEC §4.5): each technician of the team (same membership rule as
-- validate_allocation.sql: team in the technicians table, or a job for the team that month), the
-- jobs they completed for it, the computed largest-remainder part, the manager's part if one is
-- set, and the part the bonus sheet pays (mart_bonus_person.team_shares). Parameters: $month
-- (first day), $team_id.
WITH members AS (
  SELECT technician_id FROM technicians WHERE team_id = $team_id
  UNION
  SELECT technician_id FROM fct_jobs WHERE month = CAST($month AS DATE) AND team_id = $team_id AND technician_id IS NOT NULL
),
jobs AS (
  SELECT technician_id, count(*) AS jobs FROM fct_jobs
  WHERE month = CAST($month AS DATE) AND team_id = $team_id AND technician_id IS NOT NULL
  GROUP BY technician_id
),
paid AS (
  SELECT technician_id, s.computed, s.amount, s.overridden
  FROM (SELECT technician_id, unnest(team_shares) AS s FROM mart_bonus_person WHERE month = CAST($month AS DATE))
  WHERE s.team_id = $team_id
),
override AS (
  SELECT technician_id, amount FROM allocation_override WHERE month = CAST($month AS DATE) AND team_id = $team_id
),
everyone AS (
  SELECT technician_id FROM members UNION SELECT technician_id FROM paid UNION SELECT technician_id FROM override
)
SELECT e.technician_id, t.name, t.technician_id IS NOT NULL AS known_technician,
       CAST(coalesce(j.jobs, 0) AS BIGINT) AS jobs,
       CAST(coalesce(p.computed, 0) AS DECIMAL(18,2)) AS computed,
       o.amount AS override,
       CAST(coalesce(p.amount, 0) AS DECIMAL(18,2)) AS paid
FROM everyone e
LEFT JOIN technicians t ON t.technician_id = e.technician_id
LEFT JOIN jobs j ON j.technician_id = e.technician_id
LEFT JOIN paid p ON p.technician_id = e.technician_id
LEFT JOIN override o ON o.technician_id = e.technician_id
ORDER BY jobs DESC, e.technician_id
