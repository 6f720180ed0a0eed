-- mart_assessment_unit · 月度环比考核 — the month-over-month reward/penalty of each assessment unit
-- (SPEC §4.3, seed 001): one row per month for the company (unit 'company', team_id NULL) and
-- one per team (unit 'team'): every team of the teams table, and any other team id that has
-- counted forms this month or last month.
--   forms, total_score,  the unit's kpi_month figures (counted forms: fraudulent forms left out,
--   mean_score           corrected forms with their corrected grades; mean = total ÷ forms, defined
--                        in kpi_month only), NULL mean without forms;
--   prev_*               the same for the month before, as the models hold it now.
-- Outcome, in this order:
--   reward    every counted form of the month has the maximum score (3 × the best grade's points,
--             +6), whatever last month was — even when last month had no form;
--   no_basis  no counted form this month, or none last month: no reward, no penalty;
--   reward / penalty / none   Δ = mean this month − mean last month > 0 / < 0 / = 0, decided
--             exactly in integers: total₁·n₀ against total₀·n₁ (HUGEINT), never floating point.
-- Amount, from the month's own policy (policy_for_month):
--   mom_mode 'fixed'      reward → mom_reward_amount (+1000), penalty → mom_penalty_amount (−1000);
--   mom_mode 'per_point'  Δ × mom_amount_per_point, rounded to whole yuan half away from zero,
--                         computed exactly: (total₁·n₀ − total₀·n₁) × rate ÷ (n₁·n₀). A reward by
--                         the all-maximum rule pays the larger of that and mom_reward_amount
--                         (Δ may be 0 or undefined there).
-- A penalty is always negative whatever sign the policy stores. none and no_basis pay 0.
-- The company unit is the department-level result; only team amounts reach people
-- (mart_bonus_person).
-- materialized: incremental
WITH months AS (
  SELECT month, CAST(month - INTERVAL 1 MONTH AS DATE) AS prev_month FROM refresh_months
),
per_unit AS (
  -- The counted forms, their total score and mean score (满意度均项得分) of each unit are the
  -- month's kpi_month figures of the company and of each known team: one definition of the mean
  -- score (kpi_month), none here. Forms of jobs without a team (scope_id '') count for the
  -- company only.
  SELECT month,
         scope AS unit,
         CASE WHEN scope = 'team' THEN scope_id END AS team_id,
         forms,
         total_score,
         mean_score,
         forms > 0 AND forms_max_score = forms AS all_max
  FROM kpi_month
  WHERE (scope = 'company' OR (scope = 'team' AND scope_id <> ''))
    AND (month IN (SELECT month FROM months) OR month IN (SELECT prev_month FROM months))
),
units AS (
  SELECT month, prev_month, 'company' AS unit, NULL::VARCHAR AS team_id FROM months
  UNION
  SELECT m.month, m.prev_month, 'team', t.team_id FROM months m CROSS JOIN (SELECT DISTINCT team_id FROM teams) t
  UNION
  SELECT m.month, m.prev_month, 'team', p.team_id
  FROM months m JOIN per_unit p ON p.unit = 'team' AND (p.month = m.month OR p.month = m.prev_month)
),
compared AS (
  SELECT u.month, u.unit, u.team_id,
         coalesce(c.forms, 0) AS forms,
         coalesce(c.total_score, 0) AS total_score,
         coalesce(c.all_max, false) AS all_max,
         coalesce(p.forms, 0) AS prev_forms,
         coalesce(p.total_score, 0) AS prev_total_score,
         c.mean_score,
         p.mean_score AS prev_mean_score,
         -- numerator of Δ over the common denominator n₁·n₀ (NULL when either month has no form)
         CAST(c.total_score AS HUGEINT) * p.forms - CAST(p.total_score AS HUGEINT) * c.forms AS delta_num
  FROM units u
  LEFT JOIN per_unit c ON c.month = u.month AND c.unit = u.unit AND c.team_id IS NOT DISTINCT FROM u.team_id
  LEFT JOIN per_unit p ON p.month = u.prev_month AND p.unit = u.unit AND p.team_id IS NOT DISTINCT FROM u.team_id
),
decided AS (
  SELECT c.*,
         CASE WHEN c.forms > 0 AND c.all_max THEN 'reward'
              WHEN c.forms = 0 OR c.prev_forms = 0 THEN 'no_basis'
              WHEN c.delta_num > 0 THEN 'reward'
              WHEN c.delta_num < 0 THEN 'penalty'
              ELSE 'none' END AS outcome,
         -- per_point: Δ × rate in whole yuan, half away from zero, in integers:
         -- N = delta_num × rate (fen), D = 100 × n₁ × n₀, yuan = sign(N) × ⌊(2|N| + D) ÷ 2D⌋
         CASE WHEN c.delta_num IS NOT NULL THEN
           sign(c.delta_num * CAST(round(coalesce(p.mom_amount_per_point, 0) * 100) AS HUGEINT))
           * ((2 * abs(c.delta_num * CAST(round(coalesce(p.mom_amount_per_point, 0) * 100) AS HUGEINT)) + 100 * CAST(c.forms AS HUGEINT) * c.prev_forms)
              // (200 * CAST(c.forms AS HUGEINT) * c.prev_forms))
         END AS per_point_yuan,
         p.mom_mode, abs(p.mom_reward_amount) AS reward_amount, -abs(p.mom_penalty_amount) AS penalty_amount,
         p.effective_from AS policy_effective_from
  FROM compared c
  JOIN policy_for_month p ON p.month = c.month
)
SELECT month, unit, team_id, forms, total_score, mean_score,
       prev_forms, prev_total_score, prev_mean_score,
       all_max, outcome,
       CAST(CASE
         WHEN outcome IN ('none', 'no_basis') THEN 0
         WHEN mom_mode = 'per_point' AND all_max AND outcome = 'reward'
           THEN greatest(reward_amount, coalesce(CAST(per_point_yuan AS DECIMAL(38,2)), 0))
         WHEN mom_mode = 'per_point' THEN CAST(per_point_yuan AS DECIMAL(38,2))
         WHEN outcome = 'reward' THEN reward_amount
         ELSE penalty_amount
       END AS DECIMAL(18,2)) AS amount,
       policy_effective_from, mom_mode
FROM decided
