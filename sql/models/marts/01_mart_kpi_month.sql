-- mart_kpi_month · 月度KPI底数 — the counts behind every KPI of SPEC §4, per month and scope:
-- the company (scope 'company', scope_id ''), each region, each team and each technician.
-- Rates are computed from these in kpi_month; keeping numerators and denominators lets any
-- scope be re-aggregated exactly. Counts are BIGINT (DuckDB's sums are HUGEINT, which cost a
-- dashboard read ~20 ms to fetch).
-- Every running clock (SPEC §4 "As-of time") has its pending count beside the counts of its rate:
-- tickets_pending (SLA), complaints_response_pending / complaints_resolution_pending (24 h and
-- 3-working-day clocks), jobs_first_fix_pending (first-time-fix window), jobs_followup_pending
-- (follow-up window). A pending clock is in neither the numerator nor the denominator.
-- forms_reason_*: counted forms citing each dissatisfaction reason (不满意原因分布), satisfied or not.
-- forms_verified / forms_discrepant: forms with any spot check, and whose latest check is corrected
-- or fraudulent (all queues: the supervision's work). forms_sample_verified / forms_sample_discrepant:
-- the same for the checks of the random queue only (SPEC §4.7; verifications.queue, migration 011),
-- judged by the form's latest random-queue check — the unbiased sample behind discrepancy_rate. A
-- targeted or ad-hoc check never enters them, even when it comes later (its consequences, a forged
-- form not counted and penalised, follow from fct_forms and fct_forged_form as before).
-- materialized: incremental
WITH sampled AS (
  -- only the forms of the months rebuilt: every random check of the warehouse would be read otherwise
  SELECT form_id, arg_max(outcome, (verified_at, batch_id, line_no)) AS outcome
  FROM verifications
  WHERE queue = 'random' AND form_id IN (SELECT form_id FROM fct_forms WHERE month IN (SELECT month FROM refresh_months))
  GROUP BY form_id
),
sla AS (
  SELECT month, region, team_id, technician_id,
         grouping(region, team_id, technician_id) AS g,
         count(*) FILTER (WHERE status IN ('on_time', 'late')) AS tickets_due,
         count(*) FILTER (WHERE status = 'on_time') AS tickets_on_time,
         count(*) FILTER (WHERE status = 'late') AS tickets_late,
         count(*) FILTER (WHERE status = 'pending') AS tickets_pending,
         count(*) AS tickets_reported
  FROM fct_ticket_sla WHERE month IN (SELECT month FROM refresh_months)
  GROUP BY GROUPING SETS ((month), (month, region), (month, team_id), (month, technician_id))
),
jobs AS (
  SELECT month, region, team_id, technician_id,
         grouping(region, team_id, technician_id) AS g,
         count(*) AS jobs,
         count(*) FILTER (WHERE first_time_fix IS NOT NULL) AS jobs_first_fix_decided,
         count(*) FILTER (WHERE first_time_fix) AS jobs_first_time_fix,
         count(*) FILTER (WHERE first_time_fix IS NULL) AS jobs_first_fix_pending,
         count(*) FILTER (WHERE followed_up IS NOT NULL) AS jobs_followup_due,
         count(*) FILTER (WHERE followed_up) AS jobs_followed_up,
         count(*) FILTER (WHERE followed_up IS NULL) AS jobs_followup_pending,
         sum(cost) AS cost_total
  FROM fct_jobs WHERE month IN (SELECT month FROM refresh_months)
  GROUP BY GROUPING SETS ((month), (month, region), (month, team_id), (month, technician_id))
),
forms AS (
  SELECT month, region, team_id, technician_id,
         grouping(region, team_id, technician_id) AS g,
         count(*) AS forms_all,
         count(*) FILTER (WHERE counted) AS forms,
         coalesce(sum(score) FILTER (WHERE counted), 0) AS total_score,
         count(*) FILTER (WHERE counted AND satisfied) AS forms_satisfied,
         count(*) FILTER (WHERE counted AND max_score) AS forms_max_score,
         coalesce(sum(timeliness_points) FILTER (WHERE counted), 0) AS timeliness_points,
         coalesce(sum(quality_points) FILTER (WHERE counted), 0) AS quality_points,
         coalesce(sum(attitude_points) FILTER (WHERE counted), 0) AS attitude_points,
         count(DISTINCT ticket_id) FILTER (WHERE counted) AS jobs_with_form,
         count(*) FILTER (WHERE verified) AS forms_verified,
         count(*) FILTER (WHERE verification_outcome IN ('corrected', 'fraudulent')) AS forms_discrepant,
         count(s.outcome) AS forms_sample_verified,
         count(*) FILTER (WHERE s.outcome IN ('corrected', 'fraudulent')) AS forms_sample_discrepant,
         count(*) FILTER (WHERE counted AND reason_attitude) AS forms_reason_attitude,
         count(*) FILTER (WHERE counted AND reason_skill) AS forms_reason_skill,
         count(*) FILTER (WHERE counted AND reason_speed) AS forms_reason_speed
  FROM fct_forms f LEFT JOIN sampled s ON s.form_id = f.form_id
  WHERE month IN (SELECT month FROM refresh_months)
  GROUP BY GROUPING SETS ((month), (month, region), (month, team_id), (month, technician_id))
),
complaints AS (
  SELECT month, region, team_id, technician_id,
         grouping(region, team_id, technician_id) AS g,
         count(*) AS complaints_received,
         count(*) FILTER (WHERE attributable = 'yes') AS complaints_attributable,
         count(*) FILTER (WHERE responded_in_time IS NOT NULL) AS complaints_response_due,
         count(*) FILTER (WHERE responded_in_time) AS complaints_responded_in_time,
         count(*) FILTER (WHERE responded_in_time IS NULL) AS complaints_response_pending,
         count(*) FILTER (WHERE resolved_in_time IS NOT NULL) AS complaints_resolution_due,
         count(*) FILTER (WHERE resolved_in_time) AS complaints_resolved_in_time,
         count(*) FILTER (WHERE resolved_in_time IS NULL) AS complaints_resolution_pending
  FROM fct_complaints WHERE month IN (SELECT month FROM refresh_months)
  GROUP BY GROUPING SETS ((month), (month, region), (month, team_id), (month, technician_id))
),
scoped AS (
  -- One key per grouping set. GROUPING() tells the sets apart, so a complaint with no team is
  -- counted for the company and under an unknown ('') team, never twice for the company.
  SELECT 'sla' AS src, * FROM sla UNION ALL BY NAME
  SELECT 'jobs' AS src, * FROM jobs UNION ALL BY NAME
  SELECT 'forms' AS src, * FROM forms UNION ALL BY NAME
  SELECT 'complaints' AS src, * FROM complaints
),
keyed AS (
  SELECT *,
    CASE g WHEN 7 THEN 'company' WHEN 3 THEN 'region' WHEN 5 THEN 'team' ELSE 'technician' END AS scope,
    CASE g WHEN 7 THEN '' WHEN 3 THEN coalesce(region, '') WHEN 5 THEN coalesce(team_id, '') ELSE coalesce(technician_id, '') END AS scope_id
  FROM scoped
)
SELECT month, scope, scope_id,
  CAST(coalesce(sum(tickets_reported), 0) AS BIGINT) AS tickets_reported,
  CAST(coalesce(sum(tickets_due), 0) AS BIGINT) AS tickets_due,
  CAST(coalesce(sum(tickets_on_time), 0) AS BIGINT) AS tickets_on_time,
  CAST(coalesce(sum(tickets_late), 0) AS BIGINT) AS tickets_late,
  CAST(coalesce(sum(tickets_pending), 0) AS BIGINT) AS tickets_pending,
  CAST(coalesce(sum(jobs), 0) AS BIGINT) AS jobs,
  CAST(coalesce(sum(jobs_first_fix_decided), 0) AS BIGINT) AS jobs_first_fix_decided,
  CAST(coalesce(sum(jobs_first_time_fix), 0) AS BIGINT) AS jobs_first_time_fix,
  CAST(coalesce(sum(jobs_first_fix_pending), 0) AS BIGINT) AS jobs_first_fix_pending,
  CAST(coalesce(sum(jobs_followup_due), 0) AS BIGINT) AS jobs_followup_due,
  CAST(coalesce(sum(jobs_followed_up), 0) AS BIGINT) AS jobs_followed_up,
  CAST(coalesce(sum(jobs_followup_pending), 0) AS BIGINT) AS jobs_followup_pending,
  CAST(coalesce(sum(cost_total), 0) AS DECIMAL(18,2)) AS cost_total,
  CAST(coalesce(sum(forms_all), 0) AS BIGINT) AS forms_all,
  CAST(coalesce(sum(forms), 0) AS BIGINT) AS forms,
  CAST(coalesce(sum(total_score), 0) AS BIGINT) AS total_score,
  CAST(coalesce(sum(forms_satisfied), 0) AS BIGINT) AS forms_satisfied,
  CAST(coalesce(sum(forms_max_score), 0) AS BIGINT) AS forms_max_score,
  CAST(coalesce(sum(timeliness_points), 0) AS BIGINT) AS timeliness_points,
  CAST(coalesce(sum(quality_points), 0) AS BIGINT) AS quality_points,
  CAST(coalesce(sum(attitude_points), 0) AS BIGINT) AS attitude_points,
  CAST(coalesce(sum(jobs_with_form), 0) AS BIGINT) AS jobs_with_form,
  CAST(coalesce(sum(forms_verified), 0) AS BIGINT) AS forms_verified,
  CAST(coalesce(sum(forms_discrepant), 0) AS BIGINT) AS forms_discrepant,
  CAST(coalesce(sum(forms_sample_verified), 0) AS BIGINT) AS forms_sample_verified,
  CAST(coalesce(sum(forms_sample_discrepant), 0) AS BIGINT) AS forms_sample_discrepant,
  CAST(coalesce(sum(forms_reason_attitude), 0) AS BIGINT) AS forms_reason_attitude,
  CAST(coalesce(sum(forms_reason_skill), 0) AS BIGINT) AS forms_reason_skill,
  CAST(coalesce(sum(forms_reason_speed), 0) AS BIGINT) AS forms_reason_speed,
  CAST(coalesce(sum(complaints_received), 0) AS BIGINT) AS complaints_received,
  CAST(coalesce(sum(complaints_attributable), 0) AS BIGINT) AS complaints_attributable,
  CAST(coalesce(sum(complaints_response_due), 0) AS BIGINT) AS complaints_response_due,
  CAST(coalesce(sum(complaints_responded_in_time), 0) AS BIGINT) AS complaints_responded_in_time,
  CAST(coalesce(sum(complaints_response_pending), 0) AS BIGINT) AS complaints_response_pending,
  CAST(coalesce(sum(complaints_resolution_due), 0) AS BIGINT) AS complaints_resolution_due,
  CAST(coalesce(sum(complaints_resolved_in_time), 0) AS BIGINT) AS complaints_resolved_in_time,
  CAST(coalesce(sum(complaints_resolution_pending), 0) AS BIGINT) AS complaints_resolution_pending
FROM keyed
GROUP BY month, scope, scope_id
