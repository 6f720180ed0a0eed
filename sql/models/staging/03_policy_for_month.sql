-- policy_for_month · 各月适用的政策 — for every month the data covers (and the next), the policy
-- version in force: the latest whose effective_from is not after the month (SPEC §5: a month is
-- always computed with its own policy, so a change never rewrites history).
-- materialized: table
WITH months AS (
  SELECT CAST(range AS DATE) AS month
  FROM range(
    (SELECT coalesce(date_trunc('month', min(reported_at)), DATE '2020-01-01') FROM tickets),
    (SELECT greatest(date_trunc('month', max(as_of)), date_trunc('month', current_date)) + INTERVAL 2 MONTH FROM data_as_of),
    INTERVAL 1 MONTH)
)
SELECT m.month, p.*
FROM months m ASOF JOIN policy_version p ON m.month >= p.effective_from
