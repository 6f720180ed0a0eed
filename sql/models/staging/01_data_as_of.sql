-- data_as_of · 数据截止时间 — the moment the data describes: the latest event time in the tickets.
-- A ticket event that is missing but whose deadline is still after this moment is *pending*
-- (SPEC §4.1), not late. Using the data's own time (not the clock) keeps a rebuild reproducible.
-- materialized: table
SELECT coalesce(greatest(max(reported_at), max(dispatched_at), max(first_response_at), max(arrived_at), max(completed_at)),
                TIMESTAMP '1970-01-01') AS as_of
FROM tickets
