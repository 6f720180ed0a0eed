-- fct_complaints · 投诉 — one row per complaint in the month it was received (SPEC §2.5, §4).
-- Team and responsible technician come from the linked ticket when the complaint leaves them
-- empty. Handling clocks (policy):
--   responded_in_time  responded_at − received_at ≤ 24 h (calendar hours);
--   resolved_in_time   resolved_at no later than the end of the 3rd working day after the day
--                      it was received, on the working calendar (public holidays rest, 调休
--                      make-up days work — dim_date).
-- Each is NULL (not yet decidable) while the event is missing and its deadline is after the
-- data's as-of time; a missing event past its deadline is not in time.
-- materialized: incremental
WITH c AS (
  SELECT c.*, CAST(date_trunc('month', c.received_at) AS DATE) AS month,
         coalesce(c.team_id, t.team_id) AS unit_team_id,
         coalesce(c.technician_id, t.technician_id) AS unit_technician_id,
         coalesce(tm.region, t.region) AS region
  FROM complaints c
  LEFT JOIN tickets t ON t.ticket_id = c.ticket_id
  LEFT JOIN teams tm ON tm.team_id = coalesce(c.team_id, t.team_id)
  WHERE c.received_at >= getvariable('refresh_from') AND c.received_at < getvariable('refresh_to')
    AND CAST(date_trunc('month', c.received_at) AS DATE) IN (SELECT month FROM refresh_months)
),
clocks AS (
  SELECT c.*, p.complaint_response_hours,
         c.received_at + to_hours(p.complaint_response_hours) AS response_deadline,
         -- end of the Nth working day after the day of receipt = start of the next day
         (SELECT min(d2.date) FROM dim_date d2
          WHERE d2.is_working_day AND d2.working_day_seq = d.working_day_seq + p.complaint_resolution_working_days)
           + INTERVAL 1 DAY AS resolution_deadline
  FROM c
  JOIN policy_for_month p ON p.month = c.month
  JOIN dim_date d ON d.date = CAST(c.received_at AS DATE)
)
SELECT month, complaint_id, ticket_id, unit_team_id AS team_id, unit_technician_id AS technician_id, region,
       channel, category, attributable, severity, received_at, responded_at, resolved_at,
       response_deadline, resolution_deadline,
       CASE WHEN responded_at IS NOT NULL THEN responded_at <= response_deadline
            WHEN (SELECT as_of FROM data_as_of) > response_deadline THEN false END AS responded_in_time,
       CASE WHEN resolved_at IS NOT NULL THEN resolved_at < resolution_deadline
            WHEN (SELECT as_of FROM data_as_of) >= resolution_deadline THEN false END AS resolved_in_time
FROM clocks
