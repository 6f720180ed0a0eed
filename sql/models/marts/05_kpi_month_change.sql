-- kpi_month_change · 环比 / 同比 — for every row of kpi_month, the change of each KPI against the
-- month before (month-over-month, 环比) and the same month a year before (year-over-year, 同比),
-- for the same scope. A change is a difference, this − that: rates in fraction points (0.02 = 2
-- percentage points), mean_score in points, cost_per_job in yuan. It is NULL when either side is
-- NULL or the other month has no row (no data): "no comparison", never a change from zero.
-- The dashboard's cards, trends and the /api/kpi and /api/trend answers read these columns; no
-- difference is computed outside this model. A small table rebuilt on every refresh (like
-- kpi_month), so a KPI read is a lookup rather than three joins of kpi_month.
-- materialized: table
SELECT k.month, k.scope, k.scope_id,
  CAST(k.month - INTERVAL 1 MONTH AS DATE) AS mom_month,
  CAST(k.month - INTERVAL 12 MONTH AS DATE) AS yoy_month,
  k.timeliness_rate - m.timeliness_rate AS mom_timeliness_rate,
  k.satisfaction_rate - m.satisfaction_rate AS mom_satisfaction_rate,
  k.complaint_rate - m.complaint_rate AS mom_complaint_rate,
  k.mean_score - m.mean_score AS mom_mean_score,
  k.response_rate - m.response_rate AS mom_response_rate,
  k.resolution_rate - m.resolution_rate AS mom_resolution_rate,
  k.first_time_fix_rate - m.first_time_fix_rate AS mom_first_time_fix_rate,
  k.form_coverage - m.form_coverage AS mom_form_coverage,
  k.followup_rate - m.followup_rate AS mom_followup_rate,
  k.spot_check_rate - m.spot_check_rate AS mom_spot_check_rate,
  k.discrepancy_rate - m.discrepancy_rate AS mom_discrepancy_rate,
  k.cost_per_job - m.cost_per_job AS mom_cost_per_job,
  k.timeliness_rate - y.timeliness_rate AS yoy_timeliness_rate,
  k.satisfaction_rate - y.satisfaction_rate AS yoy_satisfaction_rate,
  k.complaint_rate - y.complaint_rate AS yoy_complaint_rate,
  k.mean_score - y.mean_score AS yoy_mean_score,
  k.response_rate - y.response_rate AS yoy_response_rate,
  k.resolution_rate - y.resolution_rate AS yoy_resolution_rate,
  k.first_time_fix_rate - y.first_time_fix_rate AS yoy_first_time_fix_rate,
  k.form_coverage - y.form_coverage AS yoy_form_coverage,
  k.followup_rate - y.followup_rate AS yoy_followup_rate,
  k.spot_check_rate - y.spot_check_rate AS yoy_spot_check_rate,
  k.discrepancy_rate - y.discrepancy_rate AS yoy_discrepancy_rate,
  k.cost_per_job - y.cost_per_job AS yoy_cost_per_job
FROM kpi_month k
LEFT JOIN kpi_month m ON m.scope = k.scope AND m.scope_id = k.scope_id AND m.month = CAST(k.month - INTERVAL 1 MONTH AS DATE)
LEFT JOIN kpi_month y ON y.scope = k.scope AND y.scope_id = k.scope_id AND y.month = CAST(k.month - INTERVAL 12 MONTH AS DATE)
