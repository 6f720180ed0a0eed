-- data_as_of · 数据截止时间 — the moment the data describes: the latest event time in any ingested
-- record (SPEC §4 "As-of time"): ticket events, form submitted_at, complaint received_at /
-- responded_at / resolved_at, verification verified_at. A clock (ticket SLA, complaint 24 h and
-- 3-working-day clocks) whose event is missing but whose deadline is still after this moment is
-- *pending*, not late. Using the data's own time (not the wall clock) keeps a rebuild reproducible.
-- materialized: table
SELECT coalesce(greatest(
         (SELECT greatest(max(reported_at), max(dispatched_at), max(first_response_at), max(arrived_at), max(completed_at), max(followup_at)) FROM tickets),
         (SELECT max(submitted_at) FROM feedback),
         (SELECT greatest(max(received_at), max(responded_at), max(resolved_at)) FROM complaints),
         (SELECT max(verified_at) FROM verifications)),
       TIMESTAMP '1970-01-01') AS as_of
