-- Closed months at or after a policy version's first month ($1, 'YYYY-MM-01'). A version may not
-- take effect in or before a month that is closed (month_close without reopened_at): that month's
-- figures are final (SPEC §4.6) and a policy change never rewrites them (SPEC §5). Reopen first.
SELECT strftime(month, '%Y-%m') AS month, closed_by, strftime(closed_at, '%Y-%m-%d %H:%M:%S') AS closed_at
FROM month_close
WHERE reopened_at IS NULL AND month >= CAST($1 AS DATE)
ORDER BY month
