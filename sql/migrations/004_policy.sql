-- 004 · Policy as versioned data (SPEC §5). Every target, SLA rule, grade point, amount and
-- threshold belongs to a version that takes effect from a month; a month is always computed with
-- the version in force for it (view policy_for_month in sql/models), so a change never rewrites
-- history. Version 1 holds the defaults of SPEC §4 and applies from the beginning of time.

CREATE TABLE policy_version (
  effective_from  DATE PRIMARY KEY,          -- first day of the month it takes effect
  created_at      TIMESTAMP NOT NULL,
  created_by      VARCHAR NOT NULL,
  note            VARCHAR,
  -- Targets (seed 000 §3.2.1); rates are fractions.
  target_timeliness_rate      DOUBLE NOT NULL,   -- ≥
  target_satisfaction_rate    DOUBLE NOT NULL,   -- ≥
  target_complaint_rate       DOUBLE NOT NULL,   -- <
  target_response_rate        DOUBLE,            -- ≥ (complaint 24 h response)
  target_resolution_rate      DOUBLE,            -- ≥ (complaint 3-working-day resolution)
  target_first_fix_rate       DOUBLE,
  target_form_coverage        DOUBLE,
  target_followup_rate        DOUBLE,
  -- Satisfaction (SPEC §4.2): a form without `overall` is satisfied when its score ≥ this.
  satisfied_min_score         INTEGER NOT NULL,
  max_form_score              INTEGER NOT NULL,  -- the all-maximum rule of §4.3
  -- Month-over-month reward/penalty (SPEC §4.3).
  mom_mode                    VARCHAR NOT NULL,  -- 'fixed' | 'per_point'
  mom_reward_amount           DECIMAL(18,2) NOT NULL,
  mom_penalty_amount          DECIMAL(18,2) NOT NULL,  -- negative
  mom_amount_per_point        DECIMAL(18,2),           -- per_point mode: yuan per point of Δ
  -- Complaint penalties by severity and the quarterly no-complaint reward (SPEC §4.4).
  complaint_penalty_minor     DECIMAL(18,2) NOT NULL,
  complaint_penalty_major     DECIMAL(18,2) NOT NULL,
  complaint_penalty_severe    DECIMAL(18,2) NOT NULL,
  quarterly_min_jobs          INTEGER NOT NULL,
  quarterly_reward_amount     DECIMAL(18,2) NOT NULL,
  -- Complaint handling clocks (SPEC §4).
  complaint_response_hours    INTEGER NOT NULL,
  complaint_resolution_working_days INTEGER NOT NULL,
  -- Windows for first-time fix and follow-up.
  first_fix_window_days       INTEGER NOT NULL,
  followup_window_days        INTEGER NOT NULL,
  -- Spot checks: share of forms sampled per team per week for phone verification.
  spot_check_rate             DOUBLE NOT NULL,
  CHECK (mom_mode IN ('fixed', 'per_point'))
);

-- Grade points (seed 001): A = 2 … E = −2.
CREATE TABLE policy_grade_point (
  effective_from  DATE NOT NULL,
  grade           VARCHAR NOT NULL,
  points          INTEGER NOT NULL,
  PRIMARY KEY (effective_from, grade)
);

-- Ticket SLA rules (SPEC §4.1): the first rule, by priority, whose conditions all hold applies.
-- A NULL condition does not constrain. Required events: a NULL hours column means the event is
-- not required by the rule. Hours are calendar hours from reported_at.
CREATE TABLE policy_sla_rule (
  effective_from        DATE NOT NULL,
  priority              INTEGER NOT NULL,
  name                  VARCHAR NOT NULL,
  when_fault_category   VARCHAR,   -- equals
  when_distance_over    DOUBLE,    -- distance_km > value
  when_distance_at_most DOUBLE,    -- distance_km <= value
  when_needs_supplier   BOOLEAN,   -- equals
  when_distance_unknown BOOLEAN,   -- distance_km IS NULL (true)
  first_response_hours  DOUBLE,
  arrival_hours         DOUBLE,
  PRIMARY KEY (effective_from, priority)
);

INSERT INTO policy_version VALUES (
  DATE '2000-01-01', TIMESTAMP '2000-01-01 00:00:00', 'system', 'defaults of SPEC §4 (seed 000, 001, 002)',
  0.90, 0.85, 0.03, 0.95, 0.90, 0.90, 0.80, 0.90,
  3, 6,
  'fixed', 1000, -1000, NULL,
  -100, -300, -500, 10, 500,
  24, 3,
  30, 7,
  0.05
);

INSERT INTO policy_grade_point VALUES
  (DATE '2000-01-01', 'A', 2), (DATE '2000-01-01', 'B', 1), (DATE '2000-01-01', 'C', 0),
  (DATE '2000-01-01', 'D', -1), (DATE '2000-01-01', 'E', -2);

INSERT INTO policy_sla_rule VALUES
  (DATE '2000-01-01', 1, 'chassis/engine: written contact within 12 h', 'chassis_engine', NULL, NULL, NULL, NULL, 12, NULL),
  (DATE '2000-01-01', 2, 'over 100 km: reply within 12 h', NULL, 100, NULL, NULL, NULL, 12, NULL),
  (DATE '2000-01-01', 3, 'needs supplier: reply within 12 h', NULL, NULL, NULL, true, NULL, 12, NULL),
  (DATE '2000-01-01', 4, 'within 100 km: on site within 24 h', NULL, NULL, 100, NULL, NULL, NULL, 24),
  (DATE '2000-01-01', 5, 'distance unknown: reply 12 h and on site 48 h', NULL, NULL, NULL, NULL, true, 12, 48);
