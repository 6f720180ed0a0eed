-- risk_form_score · 反馈表风险评分 — every form of fct_form_risk with the technician-level signals
-- of its month (mart_technician_risk_month) and its risk score, the one place the score is made:
--   all_max         the technician's all-maximum share failed the binomial test this month AND this
--                   form is itself all-maximum (an all-maximum share says nothing about a low form)
--   prior_findings  earlier findings on the technician's other forms
--   score           1 − Π (1 − weight × strength) over all seven signals (noisy-OR): each fired
--                   signal is read as an independent piece of evidence that by itself would mean
--                   "forged" with probability weight × strength; the score is the chance that at
--                   least one of them does. In [0, 1], 0 with no signal, never lowered by another
--                   signal, and a strong signal is not drowned by weak ones (see docs/models.md).
--   signals, reasons_zh, reasons_en  the signals fired, and their plain-words reasons, in one order.
-- A view: the targeted queue and the reads pick a week's or a form's rows.
-- materialized: view
WITH r AS (
  SELECT f.*,
         coalesce(t.all_max, false) AND f.submitted_max AS all_max,
         t.all_max_p_value, t.all_max_forms, t.all_max_max_forms, t.all_max_basis, t.all_max_basis_share, t.all_max_months,
         coalesce(t.prior_findings, false) AS prior_findings, coalesce(t.prior_findings_strength, 0) AS prior_findings_strength,
         coalesce(t.prior_fraudulent, 0) AS prior_fraudulent, coalesce(t.prior_corrected, 0) AS prior_corrected,
         coalesce(t.prior_checked, 0) AS prior_checked, t.findings_months,
         t.all_max_reason_zh AS t_all_max_reason_zh, t.all_max_reason_en AS t_all_max_reason_en,
         t.prior_findings_reason_zh, t.prior_findings_reason_en,
         p.risk_weight_all_max, p.risk_weight_prior_findings
  FROM fct_form_risk f
  JOIN policy_for_month p ON p.month = f.month
  LEFT JOIN mart_technician_risk_month t ON t.month = f.month AND t.technician_id = f.technician_id
)
SELECT r.* EXCLUDE (t_all_max_reason_zh, t_all_max_reason_en, risk_weight_all_max, risk_weight_prior_findings),
  CAST(all_max AS DOUBLE) AS all_max_strength,
  CASE WHEN all_max THEN t_all_max_reason_zh END AS all_max_reason_zh,
  CASE WHEN all_max THEN t_all_max_reason_en END AS all_max_reason_en,
  1 - (1 - local_score) * (1 - risk_weight_all_max * CAST(all_max AS DOUBLE)) * (1 - risk_weight_prior_findings * prior_findings_strength) AS score,
  list_filter([CASE WHEN shared_phone THEN 'shared_phone' END, CASE WHEN technician_phone THEN 'technician_phone' END,
               CASE WHEN early_submission THEN 'early_submission' END, CASE WHEN burst THEN 'burst' END,
               CASE WHEN all_max THEN 'all_max' END, CASE WHEN replaced_drop THEN 'replaced_drop' END,
               CASE WHEN prior_findings THEN 'prior_findings' END], x -> x IS NOT NULL) AS signals,
  list_filter([shared_phone_reason_zh, technician_phone_reason_zh, early_submission_reason_zh, burst_reason_zh,
               CASE WHEN all_max THEN t_all_max_reason_zh END, replaced_drop_reason_zh,
               CASE WHEN prior_findings THEN prior_findings_reason_zh END], x -> x IS NOT NULL) AS reasons_zh,
  list_filter([shared_phone_reason_en, technician_phone_reason_en, early_submission_reason_en, burst_reason_en,
               CASE WHEN all_max THEN t_all_max_reason_en END, replaced_drop_reason_en,
               CASE WHEN prior_findings THEN prior_findings_reason_en END], x -> x IS NOT NULL) AS reasons_en
FROM r
