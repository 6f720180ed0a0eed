-- 008 · One source for the maximum form score (SPEC §4.3, issue 10). The all-maximum rule reads
-- 3 × the best grade's points of the policy in force (policy_grade_point; +6 with A = 2), in
-- fct_forms.max_score. The separate setting max_form_score was never read by any figure and could
-- disagree with the grade points, so it goes; every existing version keeps its grade points, which
-- already give its maximum.
ALTER TABLE policy_version DROP COLUMN max_form_score;
