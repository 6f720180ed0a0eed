-- 010 · Working-hour SLA rules (SPEC §4.1, issue 10 item 7). An SLA rule's hours are calendar
-- hours from reported_at (the seeds promise "365 days a year"), or — when the rule says so —
-- working hours: hours inside the policy's working window on the working days of the working
-- calendar (public holidays rest, 调休 make-up days work; dim_date). The window is part of the
-- policy version (one window for every rule of the version), default 08:30–17:30. Existing rules
-- and versions keep calendar hours and get the default window. The columns cannot be made NOT NULL
-- here (DuckDB refuses SET NOT NULL on a table with a primary key inside a transaction): every
-- write goes through pipelines/policy/policy.ts, which always sets them, and the data tests of
-- policy_for_month and fct_ticket_sla check they are there.

-- 'calendar' | 'working': the unit of the rule's first_response_hours and arrival_hours.
ALTER TABLE policy_sla_rule ADD COLUMN hours_unit VARCHAR DEFAULT 'calendar';

-- The working window of a day, [start, end): end ≤ 24:00 at least an hour after start, minutes
-- only (validated in pipelines/policy/policy.ts). A window across midnight (night shift) is not
-- supported.
-- (Added without a default, then given one: DuckDB 1.5 refuses to commit a second ALTER of a table
-- in the transaction that added a column with a default.)
ALTER TABLE policy_version ADD COLUMN working_window_start TIME;
ALTER TABLE policy_version ADD COLUMN working_window_end TIME;
ALTER TABLE policy_version ALTER COLUMN working_window_start SET DEFAULT TIME '08:30';
ALTER TABLE policy_version ALTER COLUMN working_window_end SET DEFAULT TIME '17:30';
UPDATE policy_version SET working_window_start = TIME '08:30', working_window_end = TIME '17:30';

-- Model refresh state: a digest of the models' SQL as they were built (pipelines/models/refresh.ts).
-- When a new version of the product changes a model, the next refresh is a full build: the months
-- an incremental refresh would not revisit were built by the old definition (here: fct_ticket_sla
-- gains the rule's unit and hours). NULL for refreshes before this migration, so the first refresh
-- after it is a full build.
ALTER TABLE model_refresh ADD COLUMN models_sha VARCHAR;
