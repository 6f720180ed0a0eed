-- stg_latest_verification · 最新抽查结果 — each form's latest verification (SPEC §2.6, §4.2):
-- the outcome that decides whether the form counts (fraudulent 虚假 does not) and with which
-- grades (corrected 更正 replaces them).
-- materialized: view
SELECT * FROM verifications
QUALIFY row_number() OVER (PARTITION BY form_id ORDER BY verified_at DESC, batch_id DESC, line_no DESC) = 1
