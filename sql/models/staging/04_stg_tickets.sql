-- stg_tickets · 工单 — tickets with their month attribution (SPEC §4): the SLA month by
-- reported_at, the job month by completed_at. A job (完成的维修工作项) is a ticket with a
-- completed_at whatever its result; cancelled tickets are never jobs. The team's region comes
-- from the teams table, else the ticket's own region.
-- materialized: view
SELECT t.*,
       CAST(date_trunc('month', t.reported_at) AS DATE) AS reported_month,
       CAST(date_trunc('month', t.completed_at) AS DATE) AS completed_month,
       (t.completed_at IS NOT NULL AND coalesce(t.result, '') <> 'cancelled') AS is_job,
       coalesce(tm.region, t.region) AS unit_region
FROM tickets t
LEFT JOIN teams tm ON tm.team_id = t.team_id
