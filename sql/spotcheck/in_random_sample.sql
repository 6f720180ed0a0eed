-- Is a form ($1) in the random sample of its team-week? The sample's rule is the one of
-- sql/spotcheck/queue.sql, asked of the raw tables (macro random_sample_of, migration 011). No row:
-- the form's ticket is not a completed job, so it has no week and no sample.
SELECT in_sample FROM random_sample_of([$1::VARCHAR]) WHERE form_id = $1::VARCHAR
