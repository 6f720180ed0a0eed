-- late_tickets · 超时工单 — the late tickets of fct_ticket_sla with how late each is
-- (`minutes_late`): the later of how far past its limit a required event came, and — for an event
-- still missing — how far the data's as-of time is past its deadline (it keeps growing until the
-- event is recorded). Computed at read time from the fact's fixed columns, so a refresh never has
-- to revisit old months to keep it current. The late-ticket list and its export read this view.
-- materialized: view
SELECT s.*,
  greatest(s.event_minutes_late, date_diff('minute', s.overdue_since, a.as_of)) AS minutes_late
FROM fct_ticket_sla s, data_as_of a
WHERE s.status = 'late'
