-- Data tests of mart_technician_risk_month (pipelines/models/data-tests.ts): p-values, shares and
-- scores within [0, 1]; the technician-level signals fire exactly at their policy thresholds; the
-- month's scores are those of the forms (risk_form_score).
-- test: unique month, technician_id
-- test: not_null month, technician_id, team_id, forms, all_max, prior_findings, score_sum, mean_score, max_score
-- test: rate all_max_p_value, all_max_share, all_max_basis_share, all_max_strength, prior_findings_strength, mean_score, max_score
-- test: at_most forms_flagged <= forms
-- test: at_most forms_max <= forms
-- test: at_most all_max_max_forms <= all_max_forms
-- test: at_most prior_fraudulent + prior_corrected <= prior_checked
-- test: accepted_values all_max_basis: team, company
-- test: expect NOT all_max OR all_max_p_value IS NOT NULL
-- test: expect (all_max_reason_zh IS NOT NULL) = all_max AND (prior_findings_reason_zh IS NOT NULL) = prior_findings
-- test: expect score_sum >= 0 AND score_sum <= forms AND max_score >= mean_score - 1e-12
-- test: query all_max_at_threshold
-- The signal fires exactly when the p-value is below the month's threshold.
SELECT r.month, r.technician_id, r.all_max, r.all_max_p_value, p.risk_all_max_p_value
FROM {rows} r JOIN policy_for_month p ON p.month = r.month
WHERE r.all_max IS DISTINCT FROM coalesce(r.all_max_p_value < p.risk_all_max_p_value, false);
-- test: query scores_are_the_forms
-- The month's sum and largest score are those of the technician's forms in risk_form_score.
SELECT r.month, r.technician_id, r.score_sum, f.score_sum AS forms_score_sum, r.max_score, f.max_score AS forms_max_score
FROM {rows} r
JOIN (SELECT month, technician_id, sum(score) AS score_sum, max(score) AS max_score FROM risk_form_score
      WHERE month IN (SELECT month FROM refresh_months) AND technician_id IS NOT NULL GROUP BY ALL) f
  ON f.month = r.month AND f.technician_id = r.technician_id
WHERE abs(r.score_sum - f.score_sum) > 1e-9 * greatest(1, r.forms) OR abs(r.max_score - f.max_score) > 1e-12;
-- test: query risk_policy_complete
-- Every month's policy has the fraud-risk fields (migration 011; written only by pipelines/policy/policy.ts).
SELECT month FROM policy_for_month
WHERE month IN (SELECT month FROM refresh_months)
  AND (targeted_check_share IS NULL OR risk_phone_window_days IS NULL OR risk_phone_min_customers IS NULL
       OR risk_early_submit_minutes IS NULL OR risk_burst_minutes IS NULL OR risk_burst_min_customers IS NULL
       OR risk_all_max_months IS NULL OR risk_all_max_min_forms IS NULL OR risk_all_max_p_value IS NULL
       OR risk_replaced_drop_points IS NULL OR risk_findings_months IS NULL OR risk_findings_min_corrected IS NULL
       OR risk_findings_corrected_share IS NULL
       OR risk_weight_shared_phone IS NULL OR risk_weight_technician_phone IS NULL OR risk_weight_early_submission IS NULL
       OR risk_weight_burst IS NULL OR risk_weight_all_max IS NULL OR risk_weight_replaced_drop IS NULL
       OR risk_weight_prior_findings IS NULL);
