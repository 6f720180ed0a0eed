-- validate_allocation · 班组奖惩分配校验 — why a manager's split of a team's satisfaction
-- reward/penalty (SPEC §4.5) cannot be accepted; no row means it can. Parameters: $month (first
-- day), $team_id, $parts (JSON list of {technician_id, amount}, amounts as text so that nothing is
-- rounded on the way). A split is accepted when:
--   the month is not closed (SPEC §4.6: closed figures are frozen; reopen first);
--   the team has an assessment unit that month (the models have been refreshed);
--   every part names a technician of the team — one whose team in the technicians table is this
--     team, or who completed a job for it that month — once;
--   every amount is signed yuan with at most two decimals, and none has the opposite sign of the
--     team's amount (a penalty cannot become someone's reward, nor a reward someone's penalty);
--   the parts add up exactly to the team's amount.
WITH parts AS (
  SELECT p.technician_id, p.amount AS raw_amount, parse_money(clean_text(p.amount)) AS amount
  FROM (SELECT unnest(from_json(CAST($parts AS VARCHAR), '[{"technician_id":"VARCHAR","amount":"VARCHAR"}]'), recursive := true)) p
),
unit AS (
  SELECT amount FROM mart_assessment_unit
  WHERE month = CAST($month AS DATE) AND unit = 'team' AND team_id = $team_id
),
members AS (
  SELECT technician_id FROM technicians WHERE team_id = $team_id
  UNION
  SELECT technician_id FROM fct_jobs WHERE month = CAST($month AS DATE) AND team_id = $team_id AND technician_id IS NOT NULL
),
problems AS (
  SELECT 1 AS ord, 'month_closed' AS code, NULL::VARCHAR AS technician_id,
         'the month is closed; an admin must reopen it before the split can change' AS message
  WHERE EXISTS (SELECT 1 FROM month_close WHERE month = CAST($month AS DATE) AND reopened_at IS NULL)
  UNION ALL
  SELECT 2, 'no_unit', NULL, 'team ' || $team_id || ' has no assessment for the month (unknown team, or the models are not refreshed)'
  WHERE NOT EXISTS (SELECT 1 FROM unit)
  UNION ALL
  SELECT 3, 'no_parts', NULL, 'the split lists no technician' WHERE NOT EXISTS (SELECT 1 FROM parts)
  UNION ALL
  SELECT 4, 'missing_technician', NULL, 'a part has no technician_id' FROM parts WHERE coalesce(technician_id, '') = ''
  UNION ALL
  SELECT 5, 'duplicate_technician', technician_id, technician_id || ' is listed more than once'
  FROM parts WHERE coalesce(technician_id, '') <> '' GROUP BY technician_id HAVING count(*) > 1
  UNION ALL
  SELECT 6, 'not_in_team', technician_id, technician_id || ' is not a technician of team ' || $team_id
  FROM parts WHERE coalesce(technician_id, '') <> '' AND technician_id NOT IN (SELECT technician_id FROM members)
  UNION ALL
  SELECT 7, 'bad_amount', technician_id, coalesce(technician_id, '?') || ': amount ' || coalesce('"' || raw_amount || '"', 'missing') || ' is not yuan with at most two decimals'
  FROM parts WHERE amount IS NULL
  UNION ALL
  SELECT 8, 'wrong_sign', p.technician_id,
         p.technician_id || ': ' || CAST(p.amount AS VARCHAR) || ' has the opposite sign of the team''s amount ' || CAST(u.amount AS VARCHAR)
  FROM parts p, unit u WHERE p.amount <> 0 AND sign(p.amount) <> sign(u.amount)
  UNION ALL
  SELECT 9, 'sum_mismatch', NULL,
         'the parts add up to ' || CAST(s.total AS VARCHAR) || ' but the team''s amount is ' || CAST(u.amount AS VARCHAR)
  FROM (SELECT sum(amount) AS total, count(*) FILTER (WHERE amount IS NULL) AS unreadable FROM parts) s, unit u
  WHERE s.unreadable = 0 AND s.total IS DISTINCT FROM u.amount AND EXISTS (SELECT 1 FROM parts)
)
SELECT code, technician_id, message FROM problems ORDER BY ord, technician_id
