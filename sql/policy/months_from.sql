-- The months the models cover (policy_for_month) from a version's first month ($1, 'YYYY-MM-01')
-- on: the months whose figures a new version can change, and so the months to rebuild. Months
-- before it keep their policy, so their figures never move.
SELECT strftime(month, '%Y-%m') AS month
FROM policy_for_month
WHERE month >= CAST($1 AS DATE)
ORDER BY month
