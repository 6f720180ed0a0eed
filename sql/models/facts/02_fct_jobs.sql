-- fct_jobs · 维修工作项 — one row per job (a completed, non-cancelled ticket) in the month it was
-- completed (SPEC §4: "本月维修工作项数"). Carries what the job-based KPIs need:
--   first_time_fix  一次修复 (一次修复率): false when the job's result is needs_return (需返修: the
--                   work is unfinished, seed 002) or another ticket names it in repeat_of (返修原单号)
--                   reported no later than the end of the policy window (30 days) after its
--                   completed_at — cancelled or not: a withdrawn re-open still shows the customer
--                   came back; true once the window has passed (the data's as-of time is after
--                   `first_fix_deadline`) with neither; NULL (pending, left out of the rate) while
--                   the window is still open. `reopened_by` is the earliest such ticket.
--   followed_up     回访 (回访率): true when followup_at is no later than the end of the policy window
--                   (7 days) after completed_at; false when it came later, or is missing and the
--                   window has passed (`followup_deadline` before the as-of time); NULL (pending)
--                   while it is missing and the window is still open.
--   cost            parts + labour + travel (单次服务成本, seed 004).
--   service_type, customer_type, parts_cost, labor_cost, travel_cost, fee_charged  the ticket's
--                   服务类别 / 客户属性 and money (missing amounts as 0) for the breakdowns by service
--                   and customer type and the fee anomalies (fct_fee_anomaly, mart_service_month).
-- A pending decision moves with the as-of time: sql/refresh/running_clock_months.sql revisits
-- every month of this fact that holds one, and in a month revisited only for that, rebuilds the
-- jobs whose open window the new as-of time has closed.
-- materialized: incremental
-- clock: ticket_id WHEN (first_time_fix IS NULL AND getvariable('as_of') > first_fix_deadline) OR (followed_up IS NULL AND getvariable('as_of') > followup_deadline)
WITH j AS (
  SELECT * FROM stg_tickets
  WHERE completed_at >= getvariable('refresh_from') AND completed_at < getvariable('refresh_to')
    AND completed_month IN (SELECT month FROM refresh_months)
    AND (completed_month NOT IN (SELECT month FROM refresh_clock_months) OR ticket_id IN (SELECT clock_key FROM refresh_clock_keys))
    AND is_job
),
reopened AS (
  -- the earliest ticket that re-opens each job within its window (SPEC §4 first-time fix)
  SELECT j.ticket_id, arg_min(r.ticket_id, (r.reported_at, r.ticket_id)) AS reopened_by
  FROM j
  JOIN policy_for_month p ON p.month = j.completed_month
  JOIN tickets r ON r.repeat_of = j.ticket_id AND r.ticket_id <> j.ticket_id
   AND r.reported_at <= j.completed_at + to_days(p.first_fix_window_days)
  GROUP BY j.ticket_id
)
SELECT j.completed_month AS month, j.ticket_id, j.team_id, j.technician_id, j.unit_region AS region,
       j.fault_category, j.channel, j.completed_at, j.service_type, j.customer_type,
       j.result, ro.reopened_by, j.followup_at,
       j.completed_at + to_days(p.first_fix_window_days) AS first_fix_deadline,
       CASE WHEN j.result = 'needs_return' OR ro.reopened_by IS NOT NULL THEN false
            WHEN (SELECT as_of FROM data_as_of) > j.completed_at + to_days(p.first_fix_window_days) THEN true
       END AS first_time_fix,
       j.completed_at + to_days(p.followup_window_days) AS followup_deadline,
       CASE WHEN j.followup_at IS NOT NULL THEN j.followup_at <= j.completed_at + to_days(p.followup_window_days)
            WHEN (SELECT as_of FROM data_as_of) > j.completed_at + to_days(p.followup_window_days) THEN false
       END AS followed_up,
       coalesce(j.parts_cost, 0) + coalesce(j.labor_cost, 0) + coalesce(j.travel_cost, 0) AS cost,
       coalesce(j.parts_cost, 0) AS parts_cost, coalesce(j.labor_cost, 0) AS labor_cost,
       coalesce(j.travel_cost, 0) AS travel_cost, coalesce(j.fee_charged, 0) AS fee_charged
FROM j
JOIN policy_for_month p ON p.month = j.completed_month
LEFT JOIN reopened ro ON ro.ticket_id = j.ticket_id
