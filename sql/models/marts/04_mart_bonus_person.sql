-- mart_bonus_person · 个人奖惩明细表 — the per-person bonus sheet of a month (SPEC §4.4, §4.5):
--   satisfaction_share + complaint_penalty + forged_form_penalty + quarterly_reward + adjustments = total.
-- One row per month and technician who has any non-zero part or team share, or a forged form that month.
--   satisfaction_share  each team's month-over-month amount (mart_assessment_unit) split among the
--       technicians who completed the team's jobs that month, in proportion to their jobs, rounded
--       to whole yuan by the largest-remainder method: everyone gets the whole yuan below their
--       exact share, and the yuan left over go one each to the largest remainders (ties: more
--       jobs, then technician_id). A penalty is split the same way by its size and then made
--       negative, so the parts always add up to the team's amount exactly. Jobs without a
--       technician are left out of the split. When the team's manager has set a split
--       (allocation_override) whose parts still add up to the team's amount, it replaces the
--       computed one as a whole; an override that no longer adds up (the team's amount changed
--       since) is ignored and the computed split applies. `team_shares` lists each team's part
--       (computed and paid); `computed_share` is what the proportional rule alone would give.
--   complaint_penalty  every complaint received this month with attributable = yes (确属服务责任)
--       costs its responsible technician (fct_complaints: the complaint's, else its ticket's) the
--       month's policy amount for its severity: minor −100, major −300, severe −500. A complaint
--       without a severity is charged as minor. A complaint without a technician is charged to no one.
--   forged_form_penalty  every feedback form found fraudulent (虚假, fct_forged_form) by a spot check
--       this month costs the technician of the form's ticket the month's policy forged_form_penalty
--       (−1000) — in the month of the verification, not of the job. `forged_forms` and
--       `forged_form_ids` flag the person for HR (seed 000 §3.3.2: forgery is grounds for dismissal;
--       HR decides, the sheet only shows it), even when the policy sets the penalty to 0.
--   quarterly_reward  in the last month of a calendar quarter, a technician with at least
--       quarterly_min_jobs (10) jobs in the quarter, in any team, and no attributable complaint
--       received in it gets quarterly_reward_amount (+500), both from that month's policy.
--   adjustments  the month's manual rewards and penalties (其他奖惩, adjustments table).
-- A technician's team is the team of their jobs that month (the one with most jobs, then the
-- smallest team_id), else their team in the technicians table. `known_technician` is false for a
-- technician id the technicians table does not know (the data-quality page lists them).
-- materialized: incremental
WITH months AS (
  SELECT month,
         CAST(date_trunc('quarter', month) AS DATE) AS quarter_start,
         month = CAST(date_trunc('quarter', month) + INTERVAL 2 MONTH AS DATE) AS quarter_end
  FROM refresh_months
),
team_jobs AS (
  SELECT month, team_id, technician_id, count(*) AS jobs
  FROM fct_jobs
  WHERE month IN (SELECT month FROM months) AND technician_id IS NOT NULL
  GROUP BY ALL
),
team_amount AS (
  SELECT month, team_id, amount FROM mart_assessment_unit
  WHERE unit = 'team' AND month IN (SELECT month FROM months)
),
split AS (
  -- exact integers in fen: each part's whole yuan below its share, and its remainder (all over
  -- the same denominator, the team's jobs × 100)
  SELECT j.month, j.team_id, j.technician_id, j.jobs, a.amount,
         CAST(round(abs(a.amount) * 100) AS HUGEINT) AS abs_fen,
         sum(j.jobs) OVER (PARTITION BY j.month, j.team_id) AS all_jobs
  FROM team_amount a
  JOIN team_jobs j ON j.month = a.month AND j.team_id = a.team_id
  WHERE a.amount <> 0
),
split_floor AS (
  SELECT *,
         abs_fen * jobs // (all_jobs * 100) * 100 AS floor_fen,
         abs_fen * jobs % (all_jobs * 100) AS remainder
  FROM split
),
split_ranked AS (
  SELECT *,
         abs_fen - sum(floor_fen) OVER (PARTITION BY month, team_id) AS leftover_fen,
         row_number() OVER (PARTITION BY month, team_id ORDER BY remainder DESC, jobs DESC, technician_id) AS rank
  FROM split_floor
),
computed AS (
  -- the leftover goes out a yuan at a time by rank (a policy amount with fen leaves a last part
  -- smaller than a yuan, which goes to the next in rank)
  SELECT month, team_id, technician_id, jobs,
         CAST(CAST(sign(amount) * (floor_fen + greatest(0, least(100, leftover_fen - 100 * (rank - 1)))) AS DECIMAL(38,0)) * 0.01
              AS DECIMAL(18,2)) AS computed
  FROM split_ranked
),
valid_override AS (
  -- the (month, team) splits set by a manager whose parts still add up to the team's amount
  SELECT o.month, o.team_id
  FROM allocation_override o
  JOIN team_amount a ON a.month = o.month AND a.team_id = o.team_id
  GROUP BY o.month, o.team_id, a.amount
  HAVING sum(o.amount) = a.amount
),
override AS (
  SELECT o.month, o.team_id, o.technician_id, o.amount
  FROM allocation_override o
  SEMI JOIN valid_override v ON v.month = o.month AND v.team_id = o.team_id
),
shares AS (
  SELECT coalesce(c.month, o.month) AS month,
         coalesce(c.team_id, o.team_id) AS team_id,
         coalesce(c.technician_id, o.technician_id) AS technician_id,
         coalesce(c.jobs, 0) AS jobs,
         coalesce(c.computed, 0) AS computed,
         o.amount AS override_amount
  FROM computed c
  FULL JOIN override o ON o.month = c.month AND o.team_id = c.team_id AND o.technician_id = c.technician_id
),
shares_paid AS (
  -- an overridden team pays exactly the manager's parts: nothing to a technician left out of them
  SELECT s.*, v.team_id IS NOT NULL AS overridden,
         CASE WHEN v.team_id IS NOT NULL THEN coalesce(s.override_amount, 0) ELSE s.computed END AS paid
  FROM shares s
  LEFT JOIN valid_override v ON v.month = s.month AND v.team_id = s.team_id
),
satisfaction AS (
  SELECT month, technician_id,
         sum(paid) AS satisfaction_share,
         sum(computed) AS computed_share,
         bool_or(overridden) AS overridden,
         list({'team_id': team_id, 'jobs': CAST(jobs AS BIGINT),
               'computed': CAST(computed AS DECIMAL(18,2)),
               'amount': CAST(paid AS DECIMAL(18,2)),
               'overridden': overridden} ORDER BY team_id) AS team_shares
  FROM shares_paid
  GROUP BY month, technician_id
),
complaint AS (
  SELECT c.month, c.technician_id,
         count(*) AS attributable_complaints,
         sum(CASE coalesce(c.severity, 'minor')
               WHEN 'minor' THEN -abs(p.complaint_penalty_minor)
               WHEN 'major' THEN -abs(p.complaint_penalty_major)
               WHEN 'severe' THEN -abs(p.complaint_penalty_severe) END) AS complaint_penalty
  FROM fct_complaints c
  JOIN policy_for_month p ON p.month = c.month
  WHERE c.month IN (SELECT month FROM months) AND c.attributable = 'yes' AND c.technician_id IS NOT NULL
  GROUP BY ALL
),
quarterly AS (
  SELECT m.month, j.technician_id, count(*) AS quarter_jobs,
         CASE WHEN count(*) >= any_value(p.quarterly_min_jobs)
               AND NOT EXISTS (
                 SELECT 1 FROM fct_complaints c
                 WHERE c.technician_id = j.technician_id AND c.attributable = 'yes'
                   AND c.month >= m.quarter_start AND c.month <= m.month)
              THEN any_value(p.quarterly_reward_amount) ELSE 0 END AS quarterly_reward
  FROM months m
  JOIN fct_jobs j ON j.month >= m.quarter_start AND j.month <= m.month
  JOIN policy_for_month p ON p.month = m.month
  WHERE m.quarter_end AND j.technician_id IS NOT NULL
  GROUP BY m.month, m.quarter_start, j.technician_id
),
adjusted AS (
  SELECT month, technician_id, sum(amount) AS adjustments
  FROM adjustments
  WHERE month IN (SELECT month FROM months)
  GROUP BY ALL
),
forged AS (
  SELECT month, technician_id,
         count(*) AS forged_forms,
         sum(penalty) AS forged_form_penalty,
         list(form_id ORDER BY form_id) AS forged_form_ids
  FROM fct_forged_form
  WHERE month IN (SELECT month FROM months) AND technician_id IS NOT NULL
  GROUP BY ALL
),
month_jobs AS (
  SELECT month, technician_id, sum(jobs) AS jobs,
         first(team_id ORDER BY jobs DESC, team_id) FILTER (WHERE team_id IS NOT NULL) AS job_team_id
  FROM team_jobs
  GROUP BY ALL
),
people AS (
  SELECT month, technician_id FROM satisfaction
  UNION SELECT month, technician_id FROM complaint
  UNION SELECT month, technician_id FROM quarterly
  UNION SELECT month, technician_id FROM adjusted
  UNION SELECT month, technician_id FROM forged
),
sheet AS (
  SELECT p.month, p.technician_id,
         coalesce(mj.job_team_id, t.team_id) AS team_id,
         t.technician_id IS NOT NULL AS known_technician,
         CAST(coalesce(mj.jobs, 0) AS BIGINT) AS jobs,
         CAST(coalesce(s.satisfaction_share, 0) AS DECIMAL(18,2)) AS satisfaction_share,
         CAST(coalesce(s.computed_share, 0) AS DECIMAL(18,2)) AS computed_share,
         coalesce(s.overridden, false) AS overridden,
         coalesce(s.team_shares, []) AS team_shares,
         CAST(coalesce(c.complaint_penalty, 0) AS DECIMAL(18,2)) AS complaint_penalty,
         CAST(coalesce(c.attributable_complaints, 0) AS BIGINT) AS attributable_complaints,
         CAST(coalesce(f.forged_form_penalty, 0) AS DECIMAL(18,2)) AS forged_form_penalty,
         CAST(coalesce(f.forged_forms, 0) AS BIGINT) AS forged_forms,
         coalesce(f.forged_form_ids, []) AS forged_form_ids,
         CAST(q.quarter_jobs AS BIGINT) AS quarter_jobs,
         CAST(coalesce(q.quarterly_reward, 0) AS DECIMAL(18,2)) AS quarterly_reward,
         CAST(coalesce(a.adjustments, 0) AS DECIMAL(18,2)) AS adjustments
  FROM people p
  LEFT JOIN satisfaction s ON s.month = p.month AND s.technician_id = p.technician_id
  LEFT JOIN complaint c ON c.month = p.month AND c.technician_id = p.technician_id
  LEFT JOIN quarterly q ON q.month = p.month AND q.technician_id = p.technician_id
  LEFT JOIN adjusted a ON a.month = p.month AND a.technician_id = p.technician_id
  LEFT JOIN forged f ON f.month = p.month AND f.technician_id = p.technician_id
  LEFT JOIN month_jobs mj ON mj.month = p.month AND mj.technician_id = p.technician_id
  LEFT JOIN technicians t ON t.technician_id = p.technician_id
)
SELECT *, CAST(satisfaction_share + complaint_penalty + forged_form_penalty + quarterly_reward + adjustments AS DECIMAL(18,2)) AS total
FROM sheet
WHERE satisfaction_share <> 0 OR complaint_penalty <> 0 OR forged_form_penalty <> 0 OR quarterly_reward <> 0 OR adjustments <> 0
   OR forged_forms > 0
   -- shares from two teams may cancel (+500 and −500): the person still holds both teams' parts
   OR list_bool_or([s.amount <> 0 FOR s IN team_shares])
