-- fct_forged_form · 伪造反馈表 — one row per feedback form whose latest spot check (抽查核实) found it
-- `fraudulent` (虚假: forged, or filled in by staff), in the month of the verification (SPEC §4
-- "forged forms", §4.4) — not the month of the form's job. Each costs the technician of the form's
-- ticket the policy's forged_form_penalty (default −1000 yuan) of that month, on the bonus sheet
-- (mart_bonus_person), which flags the person for HR (seed 000 §3.3.2: forging a customer's
-- signature is grounds for dismissal — HR decides, the product never does).
--   month / verified_at  the first `fraudulent` finding since the form's last other outcome: a
--       later check that finds it fraudulent again does not charge again (one penalty per forgery),
--       and a later check with another outcome (confirmed, corrected, unreachable) lifts it —
--       the form's latest verification is no longer fraudulent (SPEC §4.2 counts it again).
--   ticket_id  from the current form, else its latest version in history: a forgery found stays
--       charged when the form is later replaced by another form of the same ticket.
--   team_id, technician_id, region  the form's ticket's (region: the team's, else the ticket's);
--       a form whose ticket (or form) is unknown, or has no technician, counts for the company and
--       its team but is charged to no one.
--   job_month  the month the ticket was completed (the form's job), NULL when not completed.
--   penalty  −|forged_form_penalty| of the verification month's policy.
-- materialized: incremental
WITH v AS (
  -- only forms with a fraudulent finding in the months refreshed: a charged finding lies there
  SELECT form_id, verified_at, verified_by, outcome, note,
         max(verified_at) FILTER (WHERE outcome <> 'fraudulent') OVER (PARTITION BY form_id) AS cleared_at
  FROM verifications
  WHERE form_id IN (SELECT form_id FROM verifications
                    WHERE outcome = 'fraudulent'
                      AND verified_at >= getvariable('refresh_from') AND verified_at < getvariable('refresh_to'))
),
found AS (
  -- the first fraudulent finding after the last other outcome; none when the latest is not fraudulent
  SELECT form_id, verified_at, verified_by, note,
         count(*) OVER (PARTITION BY form_id) AS findings
  FROM v
  WHERE outcome = 'fraudulent' AND (cleared_at IS NULL OR verified_at > cleared_at)
  QUALIFY row_number() OVER (PARTITION BY form_id ORDER BY verified_at) = 1
),
charged AS (
  SELECT *, CAST(date_trunc('month', verified_at) AS DATE) AS month
  FROM found
  WHERE verified_at >= getvariable('refresh_from') AND verified_at < getvariable('refresh_to')
    AND CAST(date_trunc('month', verified_at) AS DATE) IN (SELECT month FROM refresh_months)
),
current_form AS (
  SELECT form_id, ticket_id FROM feedback WHERE form_id IN (SELECT form_id FROM charged)
),
form AS (
  SELECT form_id, ticket_id, false AS replaced FROM current_form
  UNION ALL
  -- (against the few current forms found, not all of feedback: an anti-join over millions of ids)
  SELECT form_id, ticket_id, true FROM (
    SELECT form_id, ticket_id FROM feedback_history
    WHERE form_id IN (SELECT form_id FROM charged) AND form_id NOT IN (SELECT form_id FROM current_form)
    QUALIFY row_number() OVER (PARTITION BY form_id ORDER BY superseded_by DESC, batch_id DESC, line_no DESC) = 1
  )
)
SELECT c.month, c.form_id, f.ticket_id, coalesce(f.replaced, false) AS form_replaced,
       t.team_id, t.technician_id, t.unit_region AS region, t.completed_month AS job_month,
       t.service_type, t.customer_type,
       c.verified_at, c.verified_by, c.note, CAST(c.findings AS BIGINT) AS findings,
       CAST(-abs(p.forged_form_penalty) AS DECIMAL(18,2)) AS penalty
FROM charged c
JOIN policy_for_month p ON p.month = c.month
LEFT JOIN form f ON f.form_id = c.form_id
LEFT JOIN stg_tickets t ON t.ticket_id = f.ticket_id
