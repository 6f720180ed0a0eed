-- fct_ticket_sla · 工单服务及时性 — one row per non-cancelled ticket, in the month it was
-- reported (SPEC §4.1). The first SLA rule (by priority) of that month's policy whose conditions
-- hold applies. Each event the rule requires must happen within its hours of reported_at,
-- calendar hours, exactly at the limit counting as on time. The ticket is
--   late     when a required event happened after its limit, or is still missing after it;
--   pending  when a required event is missing but its deadline is after the data's as-of time;
--   on_time  otherwise.
-- Pending tickets are left out of the rate; a ticket no rule matches is not due (none under the
-- default rules). How late a late ticket is depends on the as-of time while an event is still
-- missing, so the fact keeps only what does not move: `event_minutes_late`, how far past its limit
-- the latest required event that happened came, and `overdue_since`, the earliest deadline of a
-- required event still missing past it. The view late_tickets adds the moving part (a fact that
-- moved with the as-of time would be stale in every month the refresh does not rebuild).
-- materialized: incremental
WITH t AS (
  SELECT * FROM stg_tickets
  WHERE reported_at >= getvariable('refresh_from') AND reported_at < getvariable('refresh_to')
    AND reported_month IN (SELECT month FROM refresh_months)
    AND coalesce(result, '') <> 'cancelled'
),
matched AS (
  SELECT t.ticket_id, arg_min(r.priority, r.priority) AS priority
  FROM t
  JOIN policy_for_month p ON p.month = t.reported_month
  JOIN policy_sla_rule r ON r.effective_from = p.effective_from
   AND (r.when_fault_category IS NULL OR r.when_fault_category = t.fault_category)
   AND (r.when_distance_over IS NULL OR t.distance_km > r.when_distance_over)
   AND (r.when_distance_at_most IS NULL OR t.distance_km <= r.when_distance_at_most)
   AND (r.when_needs_supplier IS NULL OR coalesce(t.needs_supplier, false) = r.when_needs_supplier)
   AND (r.when_distance_unknown IS NULL OR (t.distance_km IS NULL) = r.when_distance_unknown)
  GROUP BY t.ticket_id
),
deadlines AS (
  SELECT t.reported_month AS month, t.ticket_id, t.team_id, t.technician_id, t.unit_region AS region,
         t.fault_category, t.channel, t.reported_at, t.first_response_at, t.arrived_at,
         r.priority AS rule_priority, r.name AS rule_name,
         t.reported_at + to_microseconds(CAST(r.first_response_hours * 3600e6 AS BIGINT)) AS response_deadline,
         t.reported_at + to_microseconds(CAST(r.arrival_hours * 3600e6 AS BIGINT)) AS arrival_deadline
  FROM t
  LEFT JOIN matched m USING (ticket_id)
  LEFT JOIN policy_for_month p ON p.month = t.reported_month
  LEFT JOIN policy_sla_rule r ON r.effective_from = p.effective_from AND r.priority = m.priority
),
events AS (
  SELECT d.*,
    -- per required event: 'on_time' | 'late' | 'pending' | NULL (not required)
    CASE WHEN response_deadline IS NULL THEN NULL
         WHEN first_response_at IS NOT NULL THEN CASE WHEN first_response_at <= response_deadline THEN 'on_time' ELSE 'late' END
         WHEN (SELECT as_of FROM data_as_of) > response_deadline THEN 'late' ELSE 'pending' END AS response_status,
    CASE WHEN arrival_deadline IS NULL THEN NULL
         WHEN arrived_at IS NOT NULL THEN CASE WHEN arrived_at <= arrival_deadline THEN 'on_time' ELSE 'late' END
         WHEN (SELECT as_of FROM data_as_of) > arrival_deadline THEN 'late' ELSE 'pending' END AS arrival_status
  FROM deadlines d
)
SELECT e.*,
  CASE WHEN rule_priority IS NULL THEN 'no_rule'
       WHEN response_status = 'late' OR arrival_status = 'late' THEN 'late'
       WHEN response_status = 'pending' OR arrival_status = 'pending' THEN 'pending'
       ELSE 'on_time' END AS status,
  greatest(
    CASE WHEN response_status = 'late' AND first_response_at IS NOT NULL THEN date_diff('minute', response_deadline, first_response_at) END,
    CASE WHEN arrival_status = 'late' AND arrived_at IS NOT NULL THEN date_diff('minute', arrival_deadline, arrived_at) END
  ) AS event_minutes_late,
  least(
    CASE WHEN response_status = 'late' AND first_response_at IS NULL THEN response_deadline END,
    CASE WHEN arrival_status = 'late' AND arrived_at IS NULL THEN arrival_deadline END
  ) AS overdue_since
FROM events e
