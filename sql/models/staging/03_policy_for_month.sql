-- policy_for_month · 各月适用的政策 — for every month the data covers (and the next), the policy
-- version in force: the latest whose effective_from is not after the month (SPEC §5: a month is
-- always computed with its own policy, so a change never rewrites history). The months run from
-- the first ticket, complaint or adjustment to two months past the data (or today).
-- materialized: table
WITH months AS (
  SELECT CAST(range AS DATE) AS month
  FROM range(
    (SELECT date_trunc('month', coalesce(least((SELECT min(reported_at) FROM tickets), (SELECT min(received_at) FROM complaints),
                           (SELECT CAST(min(month) AS TIMESTAMP) FROM adjustments)), TIMESTAMP '2020-01-01'))),
    (SELECT greatest(date_trunc('month', max(as_of)), date_trunc('month', current_date)) + INTERVAL 2 MONTH FROM data_as_of),
    INTERVAL 1 MONTH)
)
SELECT m.month, p.*
FROM months m ASOF JOIN policy_version p ON m.month >= p.effective_from
