-- One form's risk (SPEC §4.7): its row of risk_form_score (every signal, fired or not, with its
-- reason and evidence, and the score), the weights of its month's policy, and the evidence lists a
-- supervisor drills into: the other customers' forms on the same phone inside the window (the
-- shared_phone rule of fct_form_risk, run for this one form) and the technician's forms whose
-- latest check before the month found them fraudulent or corrected (the prior_findings rule of
-- mart_technician_risk_month). $1: the form id. No row: not a current form of a completed job.
WITH me AS (
  SELECT r.*, phone_key(t.contact_phone) AS phone, customer_key(t.customer_id, t.customer_name) AS customer,
         t.customer_name, t.contact_phone, te.name AS technician_name, pt.name AS phone_technician_name,
         p.risk_weight_shared_phone, p.risk_weight_technician_phone, p.risk_weight_early_submission, p.risk_weight_burst,
         p.risk_weight_all_max, p.risk_weight_replaced_drop, p.risk_weight_prior_findings, p.risk_findings_months
  FROM risk_form_score r
  JOIN tickets t ON t.ticket_id = r.ticket_id
  JOIN policy_for_month p ON p.month = r.month
  LEFT JOIN technicians te ON te.technician_id = r.technician_id
  LEFT JOIN technicians pt ON pt.technician_id = r.phone_technician_id
  WHERE r.form_id = $1::VARCHAR
),
phone_forms AS (
  SELECT list({'form_id': f.form_id, 'ticket_id': f.ticket_id, 'customer_id': t.customer_id, 'customer_name': t.customer_name,
               'technician_id': f.technician_id, 'completed_at': strftime(j.completed_at, '%Y-%m-%d %H:%M:%S')}
              ORDER BY j.completed_at, f.form_id) AS forms
  FROM me
  JOIN fct_forms f ON f.month IN (me.month, CAST(me.month - INTERVAL 1 MONTH AS DATE))
  JOIN fct_jobs j ON j.month = f.month AND j.ticket_id = f.ticket_id
  JOIN tickets t ON t.ticket_id = f.ticket_id
  WHERE me.phone IS NOT NULL AND phone_key(t.contact_phone) = me.phone
    AND customer_key(t.customer_id, t.customer_name) <> me.customer
    AND j.completed_at BETWEEN me.completed_at - to_days(me.phone_window_days) AND me.completed_at
),
standing AS (
  SELECT c.form_id, c.outcome, c.job_month, c.month,
         lead(c.verified_at) OVER (PARTITION BY c.form_id ORDER BY c.verified_at, c.batch_id, c.line_no) AS next_at
  FROM fct_spot_check c
  WHERE c.technician_id = (SELECT technician_id FROM me)
),
found AS (
  SELECT list(DISTINCT s.form_id ORDER BY s.form_id) AS forms
  FROM standing s, me
  WHERE s.outcome IN ('fraudulent', 'corrected') AND s.month < me.month
    AND (s.next_at IS NULL OR s.next_at >= me.month)
    AND s.month >= CAST(me.month - to_months(me.risk_findings_months) AS DATE)
    AND (s.job_month IS NULL OR s.job_month < me.month)
)
SELECT me.*, strftime(me.month, '%Y-%m') AS job_month,
       strftime(me.completed_at, '%Y-%m-%d %H:%M:%S') AS completed_at_text,
       strftime(me.submitted_at, '%Y-%m-%d %H:%M:%S') AS submitted_at_text,
       coalesce((SELECT forms FROM phone_forms), []) AS phone_forms,
       coalesce((SELECT forms FROM found), []) AS finding_forms,
       (SELECT in_sample FROM random_sample_of([$1::VARCHAR]) WHERE form_id = $1::VARCHAR) AS in_random_sample
FROM me
