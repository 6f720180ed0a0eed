-- fct_ticket_sla · 工单服务及时性 — one row per non-cancelled ticket, in the month it was
-- reported (SPEC §4.1). The first SLA rule (by priority) of that month's policy whose conditions
-- hold applies. Each event the rule requires must happen within its hours of reported_at, exactly
-- at the limit (the deadline) counting as on time. The rule's `hours_unit` says which hours:
--   calendar  the deadline is reported_at + N hours;
--   working   the deadline is the moment at which N hours of working time have elapsed since
--             reported_at: time inside the policy's working window (working_window_start –
--             working_window_end, default 08:30–17:30) on working days of dim_date (public
--             holidays rest, 调休 make-up days work). A ticket reported outside the window starts
--             counting at the next window opening. Set-based, exactly, in microseconds: with W
--             the window's length, the working time from the calendar's start to a moment t is
--             W × working_days_before(t's day, dim_date) + the part of t's day's window before t
--             (none on a day off); the deadline is where that running count reaches its value at
--             reported_at + N h — on the working day whose working_day_seq is ⌈target ÷ W⌉, that
--             far into its window. A deadline exactly at a window's end is that closing time (the
--             earliest moment the N hours have elapsed), not the next day's opening. How late an
--             event came (minutes late) is wall-clock minutes past the deadline, for both units.
-- The rule and the window are those of the policy in force in the ticket's month, for the whole
-- clock (a deadline in the next month does not switch to that month's window). The ticket is
--   late     when a required event happened after its limit, or is still missing after it;
--   pending  when a required event is missing but its deadline is after the data's as-of time;
--   on_time  otherwise.
-- Pending tickets are left out of the rate; a ticket no rule matches is not due (none under the
-- default rules). How late a late ticket is depends on the as-of time while an event is still
-- missing, so the fact keeps only what does not move: `event_minutes_late`, how far past its limit
-- the latest required event that happened came, and `overdue_since`, the earliest deadline of a
-- required event still missing past it. The view late_tickets adds the moving part (a fact that
-- moved with the as-of time would be stale in every month the refresh does not rebuild).
-- In a month rebuilt only because the as-of time moved, the rows that can change are the pending
-- ones whose deadline the new as-of time has passed (they become late); only those are rebuilt.
-- materialized: incremental
-- clock: ticket_id WHEN status = 'pending' AND (getvariable('as_of') > response_deadline OR getvariable('as_of') > arrival_deadline)
WITH t AS (
  SELECT * FROM stg_tickets
  WHERE reported_at >= getvariable('refresh_from') AND reported_at < getvariable('refresh_to')
    AND reported_month IN (SELECT month FROM refresh_months)
    AND (reported_month NOT IN (SELECT month FROM refresh_clock_months) OR ticket_id IN (SELECT clock_key FROM refresh_clock_keys))
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
ruled AS (
  SELECT t.reported_month AS month, t.ticket_id, t.team_id, t.technician_id, t.unit_region AS region,
         t.fault_category, t.channel, t.reported_at, t.first_response_at, t.arrived_at,
         r.priority AS rule_priority, r.name AS rule_name, r.hours_unit AS rule_hours_unit,
         r.first_response_hours AS rule_response_hours, r.arrival_hours AS rule_arrival_hours,
         -- the limits in microseconds
         CAST(r.first_response_hours * 3600e6 AS BIGINT) AS response_us,
         CAST(r.arrival_hours * 3600e6 AS BIGINT) AS arrival_us,
         -- the working window: its opening and its length W, in microseconds of the day
         epoch_us(p.working_window_start) AS window_open_us,
         epoch_us(p.working_window_end) - epoch_us(p.working_window_start) AS window_us
  FROM t
  LEFT JOIN matched m USING (ticket_id)
  LEFT JOIN policy_for_month p ON p.month = t.reported_month
  LEFT JOIN policy_sla_rule r ON r.effective_from = p.effective_from AND r.priority = m.priority
),
working_start AS (
  -- working-hour rules: the running count of working time at reported_at — W per working day
  -- before its day, plus its day's window before it, clamped to [0, W] (nothing on a day off)
  SELECT w.ticket_id, w.window_open_us, w.window_us, w.response_us, w.arrival_us,
         w.window_us * d.working_days_before
           + CASE WHEN d.is_working_day
                  THEN least(greatest(epoch_us(w.reported_at) - epoch_us(CAST(d.date AS TIMESTAMP)) - w.window_open_us, 0), w.window_us)
                  ELSE 0 END AS elapsed_us
  FROM ruled w
  JOIN dim_date d ON d.date = CAST(w.reported_at AS DATE)
  WHERE w.rule_hours_unit = 'working'
),
working_targets AS (
  SELECT ticket_id, window_open_us, window_us,
         elapsed_us + response_us AS response_target, elapsed_us + arrival_us AS arrival_target
  FROM working_start
),
working_deadlines AS (
  -- a target falls on the working day whose working_day_seq is ⌈target ÷ W⌉, that far past its
  -- window opening: target − W × (working days before that day)
  SELECT s.ticket_id,
         CAST(dr.date AS TIMESTAMP) + to_microseconds(s.window_open_us + s.response_target - s.window_us * dr.working_days_before) AS response_deadline,
         CAST(da.date AS TIMESTAMP) + to_microseconds(s.window_open_us + s.arrival_target - s.window_us * da.working_days_before) AS arrival_deadline
  FROM working_targets s
  LEFT JOIN dim_date dr ON dr.is_working_day AND dr.working_day_seq = (s.response_target + s.window_us - 1) // s.window_us
  LEFT JOIN dim_date da ON da.is_working_day AND da.working_day_seq = (s.arrival_target + s.window_us - 1) // s.window_us
),
deadlines AS (
  SELECT r.* EXCLUDE (response_us, arrival_us, window_open_us, window_us),
         CASE WHEN r.rule_hours_unit = 'working' THEN w.response_deadline
              ELSE r.reported_at + to_microseconds(r.response_us) END AS response_deadline,
         CASE WHEN r.rule_hours_unit = 'working' THEN w.arrival_deadline
              ELSE r.reported_at + to_microseconds(r.arrival_us) END AS arrival_deadline
  FROM ruled r
  LEFT JOIN working_deadlines w USING (ticket_id)
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
