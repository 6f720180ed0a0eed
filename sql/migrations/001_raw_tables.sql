-- 001 · Raw tables: one per record kind of SPEC §2, holding the current version of each record
-- as last ingested, typed but otherwise as the user sent it. Every row remembers the batch and
-- source line it came from and keeps unknown extra columns in `extra` (JSON).
-- Earlier versions of a record live in `<table>_history` (SPEC §3: "the previous version is kept").

CREATE SEQUENCE IF NOT EXISTS batch_id_seq START 1;

-- A batch is one uploaded file (SPEC §3).
CREATE TABLE batches (
  batch_id      BIGINT PRIMARY KEY,
  kind          VARCHAR NOT NULL,
  file_name     VARCHAR NOT NULL,
  sha256        VARCHAR NOT NULL,
  archive_path  VARCHAR,
  format        VARCHAR,            -- csv | tsv | xlsx
  encoding      VARCHAR,            -- utf-8 | utf-8-bom | gb18030 | xlsx
  uploaded_by   VARCHAR NOT NULL,
  started_at    TIMESTAMP NOT NULL,
  finished_at   TIMESTAMP,
  status        VARCHAR NOT NULL,   -- committed | failed
  error         VARCHAR,
  header        VARCHAR[],          -- the file's own header, in its order (for rejects download)
  rows_read     BIGINT DEFAULT 0,
  accepted      BIGINT DEFAULT 0,   -- inserted + updated + unchanged
  inserted      BIGINT DEFAULT 0,
  updated       BIGINT DEFAULT 0,
  unchanged     BIGINT DEFAULT 0,
  replaced      BIGINT DEFAULT 0,   -- feedback forms that replaced an earlier form of the same ticket
  rejected      BIGINT DEFAULT 0,
  warnings      BIGINT DEFAULT 0,   -- rows with at least one warning
  months        DATE[]              -- months (first day) whose figures this batch may change
);

-- Rejected rows: raw values in the file's column order and every reason (SPEC §3).
CREATE TABLE rejects (
  batch_id  BIGINT NOT NULL,
  line_no   BIGINT NOT NULL,
  raw       VARCHAR[],
  reasons   STRUCT("column" VARCHAR, code VARCHAR, message VARCHAR)[] NOT NULL
);

-- Accepted rows that carry a warning, e.g. an unknown team or technician (SPEC §2.3).
CREATE TABLE batch_warnings (
  batch_id  BIGINT NOT NULL,
  line_no   BIGINT NOT NULL,
  "column"  VARCHAR NOT NULL,
  value     VARCHAR,
  code      VARCHAR NOT NULL,
  message   VARCHAR NOT NULL
);

CREATE TABLE teams (
  team_id       VARCHAR NOT NULL,
  team_name     VARCHAR NOT NULL,
  region        VARCHAR,
  manager_name  VARCHAR,
  extra         JSON,
  batch_id      BIGINT NOT NULL,
  line_no       BIGINT NOT NULL
);

CREATE TABLE technicians (
  technician_id VARCHAR NOT NULL,
  name          VARCHAR NOT NULL,
  team_id       VARCHAR,
  hired_on      DATE,
  active        BOOLEAN,
  extra         JSON,
  batch_id      BIGINT NOT NULL,
  line_no       BIGINT NOT NULL
);

CREATE TABLE tickets (
  ticket_id         VARCHAR NOT NULL,
  reported_at       TIMESTAMP NOT NULL,
  channel           VARCHAR,
  customer_id       VARCHAR,
  customer_name     VARCHAR NOT NULL,
  contact_phone     VARCHAR,
  address           VARCHAR,
  region            VARCHAR,
  customer_type     VARCHAR,
  service_type      VARCHAR,
  product_model     VARCHAR,
  serial_no         VARCHAR,
  fault_category    VARCHAR,
  distance_km       DOUBLE,
  needs_supplier    BOOLEAN,
  team_id           VARCHAR,
  technician_id     VARCHAR,
  dispatched_at     TIMESTAMP,
  first_response_at TIMESTAMP,
  arrived_at        TIMESTAMP,
  completed_at      TIMESTAMP,
  result            VARCHAR,
  repeat_of         VARCHAR,
  parts_cost        DECIMAL(18,2),
  labor_cost        DECIMAL(18,2),
  travel_cost       DECIMAL(18,2),
  fee_charged       DECIMAL(18,2),
  followup_at       TIMESTAMP,
  extra             JSON,
  batch_id          BIGINT NOT NULL,
  line_no           BIGINT NOT NULL
);

CREATE TABLE feedback (
  form_id       VARCHAR NOT NULL,
  ticket_id     VARCHAR NOT NULL,
  submitted_at  TIMESTAMP,
  timeliness    VARCHAR NOT NULL,   -- grade letter A..E
  quality       VARCHAR NOT NULL,
  attitude      VARCHAR NOT NULL,
  overall       VARCHAR,
  reasons       VARCHAR[],
  comment       VARCHAR,
  source        VARCHAR,
  extra         JSON,
  batch_id      BIGINT NOT NULL,
  line_no       BIGINT NOT NULL
);

CREATE TABLE complaints (
  complaint_id  VARCHAR NOT NULL,
  received_at   TIMESTAMP NOT NULL,
  channel       VARCHAR,
  customer_name VARCHAR,
  contact_phone VARCHAR,
  ticket_id     VARCHAR,
  team_id       VARCHAR,
  technician_id VARCHAR,
  category      VARCHAR,
  attributable  VARCHAR NOT NULL,
  severity      VARCHAR,
  responded_at  TIMESTAMP,
  resolved_at   TIMESTAMP,
  resolution    VARCHAR,
  description   VARCHAR,
  extra         JSON,
  batch_id      BIGINT NOT NULL,
  line_no       BIGINT NOT NULL
);

CREATE TABLE verifications (
  form_id       VARCHAR NOT NULL,
  verified_at   TIMESTAMP NOT NULL,
  verified_by   VARCHAR NOT NULL,
  outcome       VARCHAR NOT NULL,
  timeliness    VARCHAR,            -- corrected grades, only for outcome = corrected
  quality       VARCHAR,
  attitude      VARCHAR,
  note          VARCHAR,
  extra         JSON,
  batch_id      BIGINT NOT NULL,
  line_no       BIGINT NOT NULL
);

CREATE TABLE adjustments (
  technician_id VARCHAR NOT NULL,
  month         DATE NOT NULL,      -- first day of the month
  amount        DECIMAL(18,2) NOT NULL,
  reason        VARCHAR NOT NULL,
  approved_by   VARCHAR NOT NULL,
  extra         JSON,
  batch_id      BIGINT NOT NULL,
  line_no       BIGINT NOT NULL
);

-- Working calendar exceptions: public holidays and 调休 make-up working days (SPEC §5).
-- A date not listed is a working day Monday to Friday and a rest day on weekends.
CREATE TABLE calendar (
  date      DATE NOT NULL,
  day_type  VARCHAR NOT NULL,       -- holiday | workday
  name      VARCHAR,
  extra     JSON,
  batch_id  BIGINT NOT NULL,
  line_no   BIGINT NOT NULL
);

-- History: every earlier version of a record, with the batch that superseded it and why
-- (`updated`: same key sent again with other values; `replaced`: a newer feedback form for the
-- same ticket).
CREATE TABLE teams_history         AS SELECT *, NULL::BIGINT AS superseded_by, NULL::VARCHAR AS change FROM teams         LIMIT 0;
CREATE TABLE technicians_history   AS SELECT *, NULL::BIGINT AS superseded_by, NULL::VARCHAR AS change FROM technicians   LIMIT 0;
CREATE TABLE tickets_history       AS SELECT *, NULL::BIGINT AS superseded_by, NULL::VARCHAR AS change FROM tickets       LIMIT 0;
CREATE TABLE feedback_history      AS SELECT *, NULL::BIGINT AS superseded_by, NULL::VARCHAR AS change FROM feedback      LIMIT 0;
CREATE TABLE complaints_history    AS SELECT *, NULL::BIGINT AS superseded_by, NULL::VARCHAR AS change FROM complaints    LIMIT 0;
CREATE TABLE verifications_history AS SELECT *, NULL::BIGINT AS superseded_by, NULL::VARCHAR AS change FROM verifications LIMIT 0;
CREATE TABLE adjustments_history   AS SELECT *, NULL::BIGINT AS superseded_by, NULL::VARCHAR AS change FROM adjustments   LIMIT 0;
CREATE TABLE calendar_history      AS SELECT *, NULL::BIGINT AS superseded_by, NULL::VARCHAR AS change FROM calendar      LIMIT 0;
