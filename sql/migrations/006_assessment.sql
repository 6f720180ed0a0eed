-- 006 · What people decide about the assessment (SPEC §4.5, §4.6): managers' overrides of a
-- team's split, month closes with the figures they froze, and the audit log. The figures
-- themselves are models (sql/models/marts/03_mart_assessment_unit.sql, 04_mart_bonus_person.sql);
-- these tables hold only what the models cannot recompute. See docs/assessment.md.

-- Audit log (SPEC §4.6): every close, reopen, allocation, verification, policy change, upload and
-- login. `action` is a dotted verb (month.close, month.reopen, allocation.set, allocation.clear, …),
-- `target` what it acted on ('2025-05', '2025-05/T01'), `detail` the facts of the action as JSON.
-- Rows are only ever inserted.
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;
CREATE TABLE audit_log (
  audit_id  BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
  "at"      TIMESTAMP NOT NULL,          -- quoted: AT is a keyword in DuckDB
  actor     VARCHAR NOT NULL,
  action    VARCHAR NOT NULL,
  target    VARCHAR,
  detail    JSON
);

-- A team manager's split of the team's satisfaction reward/penalty of a month (SPEC §4.5). The
-- parts of one (month, team) replace the computed split as a whole; a technician of the team who
-- is not listed gets nothing from it. Written only through setAllocation
-- (pipelines/assessment/allocation.ts), which checks that the parts add up exactly.
CREATE TABLE allocation_override (
  month          DATE NOT NULL,      -- first day of the month
  team_id        VARCHAR NOT NULL,
  technician_id  VARCHAR NOT NULL,
  amount         DECIMAL(18,2) NOT NULL,
  set_by         VARCHAR NOT NULL,
  set_at         TIMESTAMP NOT NULL,
  reason         VARCHAR NOT NULL
);

-- Month close (SPEC §4.6): one row per close. A month is closed while its latest close has not
-- been reopened. Reopened closes are kept with their frozen figures, as a record of what was paid.
CREATE SEQUENCE IF NOT EXISTS close_id_seq START 1;
CREATE TABLE month_close (
  close_id       BIGINT PRIMARY KEY,
  month          DATE NOT NULL,
  closed_by      VARCHAR NOT NULL,
  closed_at      TIMESTAMP NOT NULL,
  reopened_by    VARCHAR,
  reopened_at    TIMESTAMP,
  reopen_reason  VARCHAR
);

-- The assessment units of a month as they were when it was closed (mart_assessment_unit).
CREATE TABLE closed_assessment_unit (
  close_id          BIGINT NOT NULL,
  month             DATE NOT NULL,
  closed_by         VARCHAR NOT NULL,
  closed_at         TIMESTAMP NOT NULL,
  unit              VARCHAR NOT NULL,   -- company | team
  team_id           VARCHAR,            -- NULL for the company
  forms             BIGINT NOT NULL,
  total_score       BIGINT NOT NULL,
  mean_score        DOUBLE,
  prev_forms        BIGINT NOT NULL,
  prev_total_score  BIGINT NOT NULL,
  prev_mean_score   DOUBLE,
  all_max           BOOLEAN NOT NULL,
  outcome           VARCHAR NOT NULL,   -- reward | penalty | none | no_basis
  amount            DECIMAL(18,2) NOT NULL,
  policy_effective_from DATE,
  mom_mode          VARCHAR
);

-- The bonus sheet of a month as it was when it was closed (mart_bonus_person).
CREATE TABLE closed_bonus_person (
  close_id                 BIGINT NOT NULL,
  month                    DATE NOT NULL,
  closed_by                VARCHAR NOT NULL,
  closed_at                TIMESTAMP NOT NULL,
  technician_id            VARCHAR NOT NULL,
  team_id                  VARCHAR,
  known_technician         BOOLEAN NOT NULL,
  jobs                     BIGINT NOT NULL,
  satisfaction_share       DECIMAL(18,2) NOT NULL,
  computed_share           DECIMAL(18,2) NOT NULL,
  overridden               BOOLEAN NOT NULL,
  team_shares              STRUCT(team_id VARCHAR, jobs BIGINT, computed DECIMAL(18,2), amount DECIMAL(18,2), overridden BOOLEAN)[],
  complaint_penalty        DECIMAL(18,2) NOT NULL,
  attributable_complaints  BIGINT NOT NULL,
  quarter_jobs             BIGINT,
  quarterly_reward         DECIMAL(18,2) NOT NULL,
  adjustments              DECIMAL(18,2) NOT NULL,
  total                    DECIMAL(18,2) NOT NULL
);
