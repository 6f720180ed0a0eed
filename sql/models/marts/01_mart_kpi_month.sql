-- mart_kpi_month · 月度KPI底数 — the counts behind every KPI of SPEC §4, per month and scope:
-- the company (scope 'company', scope_id ''), each region, each team and each technician.
-- Rates are computed from these in kpi_month; keeping numerators and denominators lets any
-- scope be re-aggregated exactly.
-- materialized: incremental
WITH sla AS (
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
         count(*) FILTER (WHERE first_time_fix) AS jobs_first_time_fix,
         count(*) FILTER (WHERE followed_up) AS jobs_followed_up,
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
         count(*) FILTER (WHERE verification_outcome IN ('corrected', 'fraudulent')) AS forms_discrepant
  FROM fct_forms WHERE month IN (SELECT month FROM refresh_months)
  GROUP BY GROUPING SETS ((month), (month, region), (month, team_id), (month, technician_id))
),
complaints AS (
  SELECT month, region, team_id, technician_id,
         grouping(region, team_id, technician_id) AS g,
         count(*) AS complaints_received,
         count(*) FILTER (WHERE attributable = 'yes') AS complaints_attributable,
         count(*) FILTER (WHERE responded_in_time IS NOT NULL) AS complaints_response_due,
         count(*) FILTER (WHERE responded_in_time) AS complaints_responded_in_time,
         count(*) FILTER (WHERE resolved_in_time IS NOT NULL) AS complaints_resolution_due,
         count(*) FILTER (WHERE resolved_in_time) AS complaints_resolved_in_time
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
  coalesce(sum(tickets_reported), 0) AS tickets_reported,
  coalesce(sum(tickets_due), 0) AS tickets_due,
  coalesce(sum(tickets_on_time), 0) AS tickets_on_time,
  coalesce(sum(tickets_late), 0) AS tickets_late,
  coalesce(sum(tickets_pending), 0) AS tickets_pending,
  coalesce(sum(jobs), 0) AS jobs,
  coalesce(sum(jobs_first_time_fix), 0) AS jobs_first_time_fix,
  coalesce(sum(jobs_followed_up), 0) AS jobs_followed_up,
  coalesce(sum(cost_total), 0) AS cost_total,
  coalesce(sum(forms_all), 0) AS forms_all,
  coalesce(sum(forms), 0) AS forms,
  coalesce(sum(total_score), 0) AS total_score,
  coalesce(sum(forms_satisfied), 0) AS forms_satisfied,
  coalesce(sum(forms_max_score), 0) AS forms_max_score,
  coalesce(sum(timeliness_points), 0) AS timeliness_points,
  coalesce(sum(quality_points), 0) AS quality_points,
  coalesce(sum(attitude_points), 0) AS attitude_points,
  coalesce(sum(jobs_with_form), 0) AS jobs_with_form,
  coalesce(sum(forms_verified), 0) AS forms_verified,
  coalesce(sum(forms_discrepant), 0) AS forms_discrepant,
  coalesce(sum(complaints_received), 0) AS complaints_received,
  coalesce(sum(complaints_attributable), 0) AS complaints_attributable,
  coalesce(sum(complaints_response_due), 0) AS complaints_response_due,
  coalesce(sum(complaints_responded_in_time), 0) AS complaints_responded_in_time,
  coalesce(sum(complaints_resolution_due), 0) AS complaints_resolution_due,
  coalesce(sum(complaints_resolved_in_time), 0) AS complaints_resolved_in_time
FROM keyed
GROUP BY month, scope, scope_id
