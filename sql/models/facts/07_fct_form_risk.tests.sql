-- Data tests of fct_form_risk (pipelines/models/data-tests.ts): one row per current form, every
-- strength and the local score within [0, 1], a strength only where its signal fires, a reason in
-- both languages exactly where it fires.
-- test: unique form_id
-- test: not_null month, form_id, ticket_id, submitted_max, shared_phone, technician_phone, early_submission, burst, replaced_drop, local_score
-- test: rate shared_phone_strength, technician_phone_strength, early_submission_strength, burst_strength, replaced_drop_strength, local_score
-- test: expect (shared_phone_strength > 0) = shared_phone AND (technician_phone_strength > 0) = technician_phone AND (early_submission_strength > 0) = early_submission AND (burst_strength > 0) = burst AND (replaced_drop_strength > 0) = replaced_drop
-- test: expect (local_score > 0) = (local_signals > 0)
-- test: expect (shared_phone_reason_zh IS NOT NULL) = shared_phone AND (shared_phone_reason_en IS NOT NULL) = shared_phone
-- test: expect (technician_phone_reason_zh IS NOT NULL) = technician_phone AND (technician_phone_reason_en IS NOT NULL) = technician_phone
-- test: expect (early_submission_reason_zh IS NOT NULL) = early_submission AND (early_submission_reason_en IS NOT NULL) = early_submission
-- test: expect (burst_reason_zh IS NOT NULL) = burst AND (burst_reason_en IS NOT NULL) = burst
-- test: expect (replaced_drop_reason_zh IS NOT NULL) = replaced_drop AND (replaced_drop_reason_en IS NOT NULL) = replaced_drop
-- test: expect phone_other_customers >= 0 AND phone_other_forms >= phone_other_customers
-- test: query same_forms_as_fct_forms
-- Every current form of a job has its row, and no other.
SELECT coalesce(f.month, r.month) AS month, coalesce(f.form_id, r.form_id) AS form_id
FROM (SELECT month, form_id FROM fct_forms WHERE month IN (SELECT month FROM refresh_months)) f
FULL JOIN {rows} r ON r.month = f.month AND r.form_id = f.form_id
WHERE f.form_id IS NULL OR r.form_id IS NULL;
