-- risk_form_score · 反馈表风险评分 — every form of fct_form_risk with the technician-level signals
-- of its month (mart_technician_risk_month) and its risk score, the one place the score is made:
--   all_max         the technician's all-maximum share failed the binomial test this month AND this
--                   form is itself all-maximum (an all-maximum share says nothing about a low form)
--   prior_findings  earlier findings on the technician's other forms, carried by this form in full
--                   when it is all-maximum and of a source a form found fraudulent had, half for
--                   each difference (migration 012, prior_findings_source_factor);
--                   prior_findings_technician_strength is the technician's own
--   patterns        (012) early_submission / burst / replaced_drop also fire, at strength 0.5, on an
--                   all-maximum form without any form-level signal of its own when the technician's
--                   window shows that signal repeated on forms of its source (on-site ones for a
--                   drop: mart_technician_risk_month); early_pattern / burst_pattern / drop_pattern
--                   say so, the reason names the pattern. fct_form_risk keeps the form's own flags.
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
         coalesce(t.prior_findings, false) AS prior_findings,
         coalesce(t.prior_findings_strength, 0) * prior_findings_source_factor(coalesce(t.prior_fraud_sources, []), f.source)
           * CASE WHEN f.submitted_max THEN 1 ELSE 0.5 END AS prior_findings_strength,
         coalesce(t.prior_findings_strength, 0) AS prior_findings_technician_strength, coalesce(t.prior_fraud_sources, []) AS prior_fraud_sources,
         coalesce(t.prior_fraudulent, 0) AS prior_fraudulent, coalesce(t.prior_corrected, 0) AS prior_corrected,
         coalesce(t.prior_checked, 0) AS prior_checked, t.findings_months,
         t.all_max_reason_zh AS t_all_max_reason_zh, t.all_max_reason_en AS t_all_max_reason_en,
         t.prior_findings_reason_zh, t.prior_findings_reason_en,
         -- the technician's pattern over the window: forms of this source flagged early / in bursts, drops
         coalesce(list_filter(t.pattern_by_source, x -> x.source = coalesce(f.source, ''))[1].early_submission_forms, 0) AS early_submission_pattern_forms,
         coalesce(list_filter(t.pattern_by_source, x -> x.source = coalesce(f.source, ''))[1].burst_forms, 0) AS burst_pattern_forms,
         coalesce(t.replaced_drop_window_forms, 0) AS replaced_drop_pattern_forms,
         f.submitted_max AND f.local_signals = 0 AS reachable,
         coalesce(list_contains(t.early_submission_pattern_sources, f.source), false) AS t_early_pattern,
         coalesce(list_contains(t.burst_pattern_sources, f.source), false) AS t_burst_pattern,
         coalesce(t.replaced_drop_pattern, false) AS t_drop_pattern,
         p.risk_weight_all_max, p.risk_weight_prior_findings, p.risk_weight_early_submission, p.risk_weight_burst,
         p.risk_weight_replaced_drop, p.risk_all_max_months
  FROM fct_form_risk f
  JOIN policy_for_month p ON p.month = f.month
  LEFT JOIN mart_technician_risk_month t ON t.month = f.month AND t.technician_id = f.technician_id
),
c AS (
  SELECT r.*,
         reachable AND t_early_pattern AS early_pattern,
         reachable AND t_burst_pattern AS burst_pattern,
         reachable AND source = 'on_site' AND t_drop_pattern AS drop_pattern,
         CASE source WHEN 'on_site' THEN '现场' WHEN 'online' THEN '线上' WHEN 'phone' THEN '电话' ELSE '' END AS source_zh,
         CASE source WHEN 'on_site' THEN 'on-site ' WHEN 'online' THEN 'online ' WHEN 'phone' THEN 'phone ' ELSE '' END AS source_en
  FROM r
),
s AS (
  SELECT c.* REPLACE (
    early_submission OR early_pattern AS early_submission,
    CASE WHEN early_submission THEN early_submission_strength WHEN early_pattern THEN 0.5 ELSE 0 END AS early_submission_strength,
    CASE WHEN early_pattern THEN printf('该服务人员近 %d 个月有 %d 份%s反馈表在完工前提交', risk_all_max_months, early_submission_pattern_forms, source_zh)
         ELSE early_submission_reason_zh END AS early_submission_reason_zh,
    CASE WHEN early_pattern THEN printf('%d %sforms of this technician in the last %d months were submitted before the job was completed', early_submission_pattern_forms, source_en, risk_all_max_months)
         ELSE early_submission_reason_en END AS early_submission_reason_en,
    burst OR burst_pattern AS burst,
    CASE WHEN burst THEN burst_strength WHEN burst_pattern THEN 0.5 ELSE 0 END AS burst_strength,
    CASE WHEN burst_pattern THEN printf('该服务人员近 %d 个月有 %d 份%s反馈表属于集中代填', risk_all_max_months, burst_pattern_forms, source_zh)
         ELSE burst_reason_zh END AS burst_reason_zh,
    CASE WHEN burst_pattern THEN printf('%d %sforms of this technician in the last %d months were in bursts of different customers'' forms', burst_pattern_forms, source_en, risk_all_max_months)
         ELSE burst_reason_en END AS burst_reason_en,
    replaced_drop OR drop_pattern AS replaced_drop,
    CASE WHEN replaced_drop THEN replaced_drop_strength WHEN drop_pattern THEN 0.5 ELSE 0 END AS replaced_drop_strength,
    CASE WHEN drop_pattern THEN printf('该服务人员近 %d 个月有 %d 份现场反馈表被之后的电话回访推翻', risk_all_max_months, replaced_drop_pattern_forms)
         ELSE replaced_drop_reason_zh END AS replaced_drop_reason_zh,
    CASE WHEN drop_pattern THEN printf('%d on-site forms of this technician in the last %d months were contradicted by the customer''s later phone form', replaced_drop_pattern_forms, risk_all_max_months)
         ELSE replaced_drop_reason_en END AS replaced_drop_reason_en)
  FROM c
)
SELECT s.* EXCLUDE (t_all_max_reason_zh, t_all_max_reason_en, risk_weight_all_max, risk_weight_prior_findings, risk_weight_early_submission,
                    risk_weight_burst, risk_weight_replaced_drop, risk_all_max_months, reachable, source_zh, source_en,
                    t_early_pattern, t_burst_pattern, t_drop_pattern),
  CAST(all_max AS DOUBLE) AS all_max_strength,
  CASE WHEN all_max THEN t_all_max_reason_zh END AS all_max_reason_zh,
  CASE WHEN all_max THEN t_all_max_reason_en END AS all_max_reason_en,
  -- local_score is 0 on a form a pattern reaches (it has no form-level signal of its own)
  1 - (1 - local_score) * (1 - risk_weight_all_max * CAST(all_max AS DOUBLE)) * (1 - risk_weight_prior_findings * prior_findings_strength)
    * (1 - risk_weight_early_submission * 0.5 * CAST(early_pattern AS DOUBLE))
    * (1 - risk_weight_burst * 0.5 * CAST(burst_pattern AS DOUBLE))
    * (1 - risk_weight_replaced_drop * 0.5 * CAST(drop_pattern AS DOUBLE)) AS score,
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
FROM s
