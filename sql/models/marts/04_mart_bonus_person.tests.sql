-- Data tests of mart_bonus_person (pipelines/models/data-tests.ts).
-- test: unique month, technician_id
-- test: not_null month, technician_id, total
-- The bonus parts add up to the total (SPEC §4.5). A new part of the sheet goes here too.
-- test: sums_to total = satisfaction_share + complaint_penalty + forged_form_penalty + quarterly_reward + adjustments
-- test: expect complaint_penalty <= 0 AND forged_form_penalty <= 0 AND quarterly_reward >= 0
-- A person's satisfaction share is the sum of their parts of the teams' splits.
-- test: expect satisfaction_share = list_sum([s.amount FOR s IN team_shares]) OR len(team_shares) = 0
-- test: query team_split_adds_up
-- Every team split among its people adds up to the team's amount (SPEC §4.5), exactly.
SELECT p.month, p.team_id, p.parts, u.amount AS team_amount
FROM (SELECT month, s.team_id, sum(s.amount) AS parts
      FROM (SELECT month, unnest(team_shares) AS s FROM {rows})
      GROUP BY ALL) p
LEFT JOIN mart_assessment_unit u ON u.month = p.month AND u.unit = 'team' AND u.team_id = p.team_id
WHERE p.parts IS DISTINCT FROM u.amount;
