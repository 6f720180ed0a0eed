-- fct_jobs · 维修工作项 — one row per job (a completed, non-cancelled ticket) in the month it was
-- completed (SPEC §4: "本月维修工作项数"). Carries what the job-based KPIs need:
--   first_time_fix  no later ticket names it in repeat_of within the policy window (30 days)
--                   after completion (一次修复率);
--   followed_up     followup_at within the policy window (7 days) after completion (回访率);
--   cost            parts + labour + travel (单次服务成本, seed 004).
-- materialized: incremental
WITH j AS (
  SELECT * FROM stg_tickets
  WHERE completed_at >= getvariable('refresh_from') AND completed_at < getvariable('refresh_to')
    AND completed_month IN (SELECT month FROM refresh_months)
    AND is_job
)
SELECT j.completed_month AS month, j.ticket_id, j.team_id, j.technician_id, j.unit_region AS region,
       j.fault_category, j.channel, j.completed_at,
       NOT EXISTS (
         SELECT 1 FROM tickets r
         WHERE r.repeat_of = j.ticket_id
           AND r.reported_at <= j.completed_at + to_days(p.first_fix_window_days)
       ) AS first_time_fix,
       coalesce(j.followup_at <= j.completed_at + to_days(p.followup_window_days), false) AS followed_up,
       coalesce(j.parts_cost, 0) + coalesce(j.labor_cost, 0) + coalesce(j.travel_cost, 0) AS cost
FROM j
JOIN policy_for_month p ON p.month = j.completed_month
