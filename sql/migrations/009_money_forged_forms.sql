-- 009 · Money and forged forms (SPEC §2.2, §4 cost per job / fee anomalies / forged forms, §4.4,
-- §4.5; issue 10 items 4 and 5). See docs/models.md and docs/assessment.md.

-- Policy (SPEC §5): the penalty for each form found fraudulent (伪造反馈表, §4.4, default −1000 yuan,
-- charged in the month of the verification) and an optional cost budget per job (单次服务成本预算,
-- §4 "cost per job": "policy budget per job (optional)"; NULL = no budget). Existing versions take
-- the default penalty and no budget.
-- (ADD COLUMN fills the existing rows with the default.)
ALTER TABLE policy_version ADD COLUMN forged_form_penalty DECIMAL(18,2) DEFAULT -1000;
ALTER TABLE policy_version ADD COLUMN cost_budget_per_job DECIMAL(18,2);

-- Technicians may carry a mobile phone (手机号, SPEC §2.2: PII, optional, masked like customers'
-- phones). The ingestion writes a kind's columns in their order, then extra, batch_id, line_no, and
-- moves rows to history with `SELECT *`: the column must sit after `active` and before `extra`, in
-- the table and in its history, so both are rebuilt in that order (ADD COLUMN would append it).
CREATE TABLE technicians_009 (
  technician_id VARCHAR NOT NULL,
  name          VARCHAR NOT NULL,
  team_id       VARCHAR,
  hired_on      DATE,
  active        BOOLEAN,
  phone         VARCHAR,
  extra         JSON,
  batch_id      BIGINT NOT NULL,
  line_no       BIGINT NOT NULL
);
INSERT INTO technicians_009
SELECT technician_id, name, team_id, hired_on, active, NULL, extra, batch_id, line_no FROM technicians;
DROP TABLE technicians;
ALTER TABLE technicians_009 RENAME TO technicians;

CREATE TABLE technicians_history_009 AS
SELECT technician_id, name, team_id, hired_on, active, NULL::VARCHAR AS phone, extra, batch_id, line_no, superseded_by, change
FROM technicians_history;
DROP TABLE technicians_history;
ALTER TABLE technicians_history_009 RENAME TO technicians_history;

-- The bonus sheet as it was closed (SPEC §4.6) gains the forged-form part and the HR flag
-- (mart_bonus_person). Months closed before this migration paid no forged-form penalty: 0, none.
ALTER TABLE closed_bonus_person ADD COLUMN forged_form_penalty DECIMAL(18,2) DEFAULT 0;
ALTER TABLE closed_bonus_person ADD COLUMN forged_forms BIGINT DEFAULT 0;
ALTER TABLE closed_bonus_person ADD COLUMN forged_form_ids VARCHAR[] DEFAULT [];
