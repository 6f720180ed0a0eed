-- fct_spot_check · 抽查核实 — one row per verification (SPEC §2.6), in the month it was made, with
-- the queue it came from (random 随机抽查 / targeted 定向抽查 / ad_hoc 临时抽查, migration 011) and
-- whom its form concerns: the form's ticket (the current form's, else its latest version in history,
-- as fct_forged_form), that ticket's team, technician and region, and the job's month. Every check
-- is here, whatever its queue: the findings per technician (mart_technician_risk_month, the
-- earlier-findings signal; the findings read) count them all, while the discrepancy-rate estimate
-- (mart_kpi_month) reads only the random queue.
-- Incremental by the verification's month: sql/refresh/touched_months.sql already rebuilds the
-- month of every verification of a form whose verification, form or ticket a batch changes.
-- Nothing here reads the as-of time: a month revisited only because the time moved keeps its rows.
-- materialized: incremental
-- as-of: independent
WITH v AS (
  SELECT * FROM verifications
  WHERE verified_at >= getvariable('refresh_from') AND verified_at < getvariable('refresh_to')
    AND CAST(date_trunc('month', verified_at) AS DATE) IN (SELECT month FROM refresh_months)
),
current_form AS (
  SELECT form_id, ticket_id FROM feedback WHERE form_id IN (SELECT form_id FROM v)
),
form AS (
  SELECT form_id, ticket_id, false AS replaced FROM current_form
  UNION ALL
  SELECT form_id, ticket_id, true FROM (
    SELECT form_id, ticket_id FROM feedback_history
    WHERE form_id IN (SELECT form_id FROM v) AND form_id NOT IN (SELECT form_id FROM current_form)
    QUALIFY row_number() OVER (PARTITION BY form_id ORDER BY superseded_by DESC, batch_id DESC, line_no DESC) = 1
  )
)
SELECT CAST(date_trunc('month', v.verified_at) AS DATE) AS month, v.form_id, v.verified_at, v.verified_by,
       v.outcome, v.queue, v.batch_id, v.line_no,
       f.ticket_id, coalesce(f.replaced, false) AS form_replaced,
       t.team_id, t.technician_id, t.unit_region AS region,
       CASE WHEN t.is_job THEN t.completed_month END AS job_month
FROM v
LEFT JOIN form f ON f.form_id = v.form_id
LEFT JOIN stg_tickets t ON t.ticket_id = f.ticket_id
