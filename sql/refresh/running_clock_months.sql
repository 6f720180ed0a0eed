-- Months an incremental refresh must rebuild because a clock in them may have been decided by the
-- as-of time moving (SPEC §4: a pending clock becomes late or decided "whatever month the record
-- belongs to"): every month of the facts *as last built* that still holds a pending clock —
-- ticket SLA (status pending), complaint 24-hour response and 3-working-day resolution (NULL =
-- not yet decidable), a job's first-time-fix window and follow-up window (NULL = pending).
-- Read before the facts are rebuilt; the as-of month is added by the runner.
SELECT DISTINCT month FROM fct_ticket_sla WHERE status = 'pending'
UNION
SELECT DISTINCT month FROM fct_complaints WHERE responded_in_time IS NULL OR resolved_in_time IS NULL
UNION
SELECT DISTINCT month FROM fct_jobs WHERE first_time_fix IS NULL OR followed_up IS NULL
