-- 011 · Fraud risk and the two spot-check queues (SPEC §4.7; issue 12 items 2, 3 and 5). See
-- docs/models.md, "Fraud risk". Supervision calls two kinds of forms: an unbiased random sample
-- (sql/spotcheck/queue.sql), whose discrepancy rate estimates the true one, and a targeted list
-- ranked by risk signals (sql/spotcheck/targeted_queue.sql), whose findings must never enter that
-- estimate. Each verification therefore records the queue it came from.

-- ---------------------------------------------------------------------------------------------
-- Keys the risk signals compare by.

-- A phone number as digits only, without a +86 / 0086 prefix on a mobile number, so '+86 138-1234-
-- 5678' and '13812345678' are one number. Too short (< 7 digits) or one digit repeated ('0000000')
-- is a placeholder, not a phone: NULL, so it can never link customers.
CREATE MACRO phone_digits(p) AS
  regexp_replace(regexp_replace(coalesce(p, ''), '[^0-9]', '', 'g'), '^(0086|86)(1[0-9]{10})$', '\2');
CREATE MACRO phone_key(p) AS
  CASE WHEN length(phone_digits(p)) BETWEEN 7 AND 15 AND replace(phone_digits(p), left(phone_digits(p), 1), '') <> ''
       THEN phone_digits(p) END;

-- One customer: the customer id when the ticket has one (a fleet is one id with many vehicles),
-- else the name as written (trimmed, case-folded).
CREATE MACRO customer_key(id, name) AS
  coalesce(nullif(trim(id), ''), 'name:' || lower(trim(coalesce(name, ''))));

-- ---------------------------------------------------------------------------------------------
-- The random sample, from the raw tables (so it can be asked while a batch is being staged, before
-- any model is built): exactly the rule of sql/spotcheck/queue.sql — per team and ISO week of the
-- job's completion, the first ceil(spot_check_rate × forms) forms in md5(form_id || '|' || week)
-- order, with the rate of the policy of the month holding the week's Thursday. The population is
-- the current forms of completed, non-cancelled tickets (fct_forms). lo / hi are widened to whole
-- weeks, so every week touched is sampled whole. tests/spotcheck checks it against queue.sql.
CREATE MACRO random_sample_between(lo, hi) AS TABLE
WITH jobs AS (
  SELECT f.form_id, t.team_id, CAST(date_trunc('week', t.completed_at) AS DATE) AS week_start
  FROM feedback f
  JOIN tickets t ON t.ticket_id = f.ticket_id
  WHERE t.completed_at >= CAST(date_trunc('week', CAST(lo AS DATE)) AS TIMESTAMP)
    AND t.completed_at < CAST(date_trunc('week', CAST(hi AS DATE) - INTERVAL 1 DAY) + INTERVAL 7 DAY AS TIMESTAMP)
    AND coalesce(t.result, '') <> 'cancelled'
),
weeks AS (
  SELECT *, CAST(date_trunc('month', week_start + INTERVAL 3 DAY) AS DATE) AS week_month,
         printf('%d-W%02d', isoyear(week_start), week(week_start)) AS week
  FROM jobs
),
ranked AS (
  SELECT w.form_id, w.team_id, w.week, w.week_start, w.week_month, p.spot_check_rate,
         count(*) OVER tw AS team_week_forms,
         CAST(ceil(round(p.spot_check_rate * count(*) OVER tw, 9)) AS INTEGER) AS sample_size,
         row_number() OVER (PARTITION BY w.team_id, w.week ORDER BY md5(w.form_id || '|' || w.week), w.form_id) AS sample_rank
  FROM weeks w
  ASOF JOIN policy_version p ON w.week_month >= p.effective_from
  WINDOW tw AS (PARTITION BY w.team_id, w.week)
)
SELECT *, sample_rank <= sample_size AS in_sample FROM ranked;

-- The sample of the team-weeks of the given forms (a VARCHAR[] of form ids): every form of those
-- team-weeks, with its rank and whether it is in the sample.
CREATE MACRO random_sample_of(ids) AS TABLE
WITH asked AS (
  SELECT DISTINCT t.team_id, CAST(date_trunc('week', t.completed_at) AS DATE) AS week_start
  FROM feedback f
  JOIN tickets t ON t.ticket_id = f.ticket_id
  WHERE f.form_id IN (SELECT unnest(ids)) AND t.completed_at IS NOT NULL AND coalesce(t.result, '') <> 'cancelled'
)
SELECT s.*
FROM random_sample_between((SELECT min(week_start) FROM asked), (SELECT max(week_start) + INTERVAL 7 DAY FROM asked)) s
WHERE EXISTS (SELECT 1 FROM asked a WHERE a.team_id IS NOT DISTINCT FROM s.team_id AND a.week_start = s.week_start);

-- ---------------------------------------------------------------------------------------------
-- Which queue a verification came from: `random` (the unbiased sample, the only one the
-- discrepancy-rate estimate reads), `targeted` (the risk-ranked list), `ad_hoc` (anything else:
-- a complaint, a tip, a supervisor's own choice).
INSERT INTO enum_label VALUES
  ('verification_queue', 'random', '随机抽查'),
  ('verification_queue', 'targeted', '定向抽查'),
  ('verification_queue', 'ad_hoc', '临时抽查');

-- The ingestion writes a kind's columns in their order, then extra, batch_id, line_no, and moves
-- rows to history with `SELECT *`: `queue` must sit after `note` and before `extra`, in the table
-- and in its history, so both are rebuilt in that order (as 009 did for technicians.phone).
-- Verifications stored before this migration said no queue: they count as random when their form
-- is in the random sample of its team-week (as it stands now), else as ad hoc — the same rule as an
-- ingested file without the column (pipelines/ingest/kinds.ts).
CREATE TEMP TABLE sampled_011 AS
SELECT form_id FROM random_sample_of((
  SELECT list(DISTINCT form_id) FROM (SELECT form_id FROM verifications UNION SELECT form_id FROM verifications_history)))
WHERE in_sample;

CREATE TABLE verifications_011 (
  form_id       VARCHAR NOT NULL,
  verified_at   TIMESTAMP NOT NULL,
  verified_by   VARCHAR NOT NULL,
  outcome       VARCHAR NOT NULL,
  timeliness    VARCHAR,
  quality       VARCHAR,
  attitude      VARCHAR,
  note          VARCHAR,
  queue         VARCHAR,            -- random | targeted | ad_hoc
  extra         JSON,
  batch_id      BIGINT NOT NULL,
  line_no       BIGINT NOT NULL
);
INSERT INTO verifications_011
SELECT form_id, verified_at, verified_by, outcome, timeliness, quality, attitude, note,
       CASE WHEN form_id IN (SELECT form_id FROM sampled_011) THEN 'random' ELSE 'ad_hoc' END,
       extra, batch_id, line_no
FROM verifications;
DROP TABLE verifications;
ALTER TABLE verifications_011 RENAME TO verifications;

CREATE TABLE verifications_history_011 AS
SELECT form_id, verified_at, verified_by, outcome, timeliness, quality, attitude, note,
       CASE WHEN form_id IN (SELECT form_id FROM sampled_011) THEN 'random' ELSE 'ad_hoc' END AS queue,
       extra, batch_id, line_no, superseded_by, change
FROM verifications_history;
DROP TABLE verifications_history;
ALTER TABLE verifications_history_011 RENAME TO verifications_history;
DROP TABLE sampled_011;

-- ---------------------------------------------------------------------------------------------
-- Policy (SPEC §5): the thresholds of the risk signals, their weights in the risk score and the
-- share of the weekly calls spent on the targeted queue, versioned like every other field. Rules
-- (pipelines/policy/policy.ts): counts and minutes whole numbers in their ranges, the p-value in
-- (0, 0.5], weights and the share fractions (the share below 1).
-- (Added without defaults, then given them: DuckDB 1.5 refuses to commit a second ALTER of a table
-- in the transaction that added a column with a default — see 010.)
ALTER TABLE policy_version ADD COLUMN targeted_check_share DOUBLE;            -- of the week's calls
ALTER TABLE policy_version ADD COLUMN risk_phone_window_days INTEGER;        -- ≤ 28: one month back at most
ALTER TABLE policy_version ADD COLUMN risk_phone_min_customers INTEGER;      -- other customers on the phone
ALTER TABLE policy_version ADD COLUMN risk_early_submit_minutes INTEGER;     -- submitted before completed_at + this
ALTER TABLE policy_version ADD COLUMN risk_burst_minutes INTEGER;
ALTER TABLE policy_version ADD COLUMN risk_burst_min_customers INTEGER;      -- distinct customers, the form's included
ALTER TABLE policy_version ADD COLUMN risk_all_max_months INTEGER;           -- rolling window of the binomial test
ALTER TABLE policy_version ADD COLUMN risk_all_max_min_forms INTEGER;
ALTER TABLE policy_version ADD COLUMN risk_all_max_p_value DOUBLE;
ALTER TABLE policy_version ADD COLUMN risk_replaced_drop_points INTEGER;
ALTER TABLE policy_version ADD COLUMN risk_findings_months INTEGER;
ALTER TABLE policy_version ADD COLUMN risk_findings_min_corrected INTEGER;
ALTER TABLE policy_version ADD COLUMN risk_findings_corrected_share DOUBLE;  -- of the forms checked: honest work is corrected too
ALTER TABLE policy_version ADD COLUMN risk_weight_shared_phone DOUBLE;
ALTER TABLE policy_version ADD COLUMN risk_weight_technician_phone DOUBLE;
ALTER TABLE policy_version ADD COLUMN risk_weight_early_submission DOUBLE;
ALTER TABLE policy_version ADD COLUMN risk_weight_burst DOUBLE;
ALTER TABLE policy_version ADD COLUMN risk_weight_all_max DOUBLE;
ALTER TABLE policy_version ADD COLUMN risk_weight_replaced_drop DOUBLE;
ALTER TABLE policy_version ADD COLUMN risk_weight_prior_findings DOUBLE;

ALTER TABLE policy_version ALTER COLUMN targeted_check_share SET DEFAULT 0.25;
ALTER TABLE policy_version ALTER COLUMN risk_phone_window_days SET DEFAULT 28;
ALTER TABLE policy_version ALTER COLUMN risk_phone_min_customers SET DEFAULT 3;
ALTER TABLE policy_version ALTER COLUMN risk_early_submit_minutes SET DEFAULT 0;
ALTER TABLE policy_version ALTER COLUMN risk_burst_minutes SET DEFAULT 10;
ALTER TABLE policy_version ALTER COLUMN risk_burst_min_customers SET DEFAULT 3;
ALTER TABLE policy_version ALTER COLUMN risk_all_max_months SET DEFAULT 3;
ALTER TABLE policy_version ALTER COLUMN risk_all_max_min_forms SET DEFAULT 20;
ALTER TABLE policy_version ALTER COLUMN risk_all_max_p_value SET DEFAULT 0.001;
ALTER TABLE policy_version ALTER COLUMN risk_replaced_drop_points SET DEFAULT 4;
ALTER TABLE policy_version ALTER COLUMN risk_findings_months SET DEFAULT 12;
ALTER TABLE policy_version ALTER COLUMN risk_findings_min_corrected SET DEFAULT 2;
ALTER TABLE policy_version ALTER COLUMN risk_findings_corrected_share SET DEFAULT 0.25;
ALTER TABLE policy_version ALTER COLUMN risk_weight_shared_phone SET DEFAULT 0.5;
ALTER TABLE policy_version ALTER COLUMN risk_weight_technician_phone SET DEFAULT 0.9;
ALTER TABLE policy_version ALTER COLUMN risk_weight_early_submission SET DEFAULT 0.6;
ALTER TABLE policy_version ALTER COLUMN risk_weight_burst SET DEFAULT 0.4;
ALTER TABLE policy_version ALTER COLUMN risk_weight_all_max SET DEFAULT 0.3;
ALTER TABLE policy_version ALTER COLUMN risk_weight_replaced_drop SET DEFAULT 0.5;
ALTER TABLE policy_version ALTER COLUMN risk_weight_prior_findings SET DEFAULT 0.3;

UPDATE policy_version SET
  targeted_check_share = 0.25,
  risk_phone_window_days = 28, risk_phone_min_customers = 3,
  risk_early_submit_minutes = 0,
  risk_burst_minutes = 10, risk_burst_min_customers = 3,
  risk_all_max_months = 3, risk_all_max_min_forms = 20, risk_all_max_p_value = 0.001,
  risk_replaced_drop_points = 4,
  risk_findings_months = 12, risk_findings_min_corrected = 2, risk_findings_corrected_share = 0.25,
  risk_weight_shared_phone = 0.5, risk_weight_technician_phone = 0.9, risk_weight_early_submission = 0.6,
  risk_weight_burst = 0.4, risk_weight_all_max = 0.3, risk_weight_replaced_drop = 0.5, risk_weight_prior_findings = 0.3;
