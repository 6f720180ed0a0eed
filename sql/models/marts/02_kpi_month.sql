-- kpi_month · 月度KPI — every KPI of SPEC §4 per month and scope, with the month's targets.
-- A rate whose denominator is zero is NULL ("no data"), never 0 % or 100 %. Rates are fractions.
--   timeliness_rate     on-time ÷ due tickets (pending and cancelled left out)      服务及时率
--   satisfaction_rate   satisfied ÷ counted forms                                  用户满意程度
--   complaint_rate      attributable complaints received ÷ jobs completed          用户抱怨率
--   mean_score          total score ÷ counted forms                                满意度均项得分
--   response_rate       complaints answered within 24 h ÷ decidable complaints     投诉24小时响应率
--   resolution_rate     resolved by the 3rd working day ÷ decidable complaints     投诉3个工作日办结率
--   first_time_fix_rate jobs fixed the first time ÷ decided jobs (neither needs_return nor
--                       re-opened within 30 days; pending while the window is open)  一次修复率
--   form_coverage       jobs with a counted form ÷ jobs                            反馈表回收率
--   followup_rate       jobs followed up within 7 days ÷ decided jobs (pending while
--                       not yet followed up and the 7 days are not over)           回访率
--   spot_check_rate     verified forms (any queue) ÷ forms                         抽查率
--   discrepancy_rate    (corrected + fraudulent) ÷ verified, of the random queue's checks only:
--                       the unbiased estimate (SPEC §4.7); targeted and ad-hoc checks never enter it  抽查不符率
--   cost_per_job        (parts + labour + travel) ÷ jobs                           单次服务成本
--   reason_*_share      counted forms citing attitude / skill / speed ÷ counted forms  不满意原因分布
--                       (beside the per-item means mean_*_points; satisfied or not)
--   mom_<rate>, yoy_<rate>  the change of each rate above (and of mean_score and cost_per_job)
--                       against the month before (环比) and the same month a year before (同比),
--                       for the same scope: this − that, in fraction points for rates, points for
--                       the mean score, yuan for cost per job; NULL when either side is NULL or
--                       the other month has no row. The API's `mom`/`yoy` are these columns; no
--                       difference is computed anywhere else.
-- A small table rebuilt on every refresh, so a dashboard read is one row lookup.
-- materialized: table
WITH k AS (
  SELECT k.*,
    k.tickets_on_time / nullif(k.tickets_due, 0) AS timeliness_rate,
    k.forms_satisfied / nullif(k.forms, 0) AS satisfaction_rate,
    k.complaints_attributable / nullif(k.jobs, 0) AS complaint_rate,
    k.total_score / nullif(k.forms, 0) AS mean_score,
    k.timeliness_points / nullif(k.forms, 0) AS mean_timeliness_points,
    k.quality_points / nullif(k.forms, 0) AS mean_quality_points,
    k.attitude_points / nullif(k.forms, 0) AS mean_attitude_points,
    k.complaints_responded_in_time / nullif(k.complaints_response_due, 0) AS response_rate,
    k.complaints_resolved_in_time / nullif(k.complaints_resolution_due, 0) AS resolution_rate,
    k.jobs_first_time_fix / nullif(k.jobs_first_fix_decided, 0) AS first_time_fix_rate,
    k.jobs_with_form / nullif(k.jobs, 0) AS form_coverage,
    k.jobs_followed_up / nullif(k.jobs_followup_due, 0) AS followup_rate,
    k.forms_verified / nullif(k.forms_all, 0) AS spot_check_rate,
    k.forms_sample_discrepant / nullif(k.forms_sample_verified, 0) AS discrepancy_rate,
    k.cost_total / nullif(k.jobs, 0) AS cost_per_job,
    k.forms_reason_attitude / nullif(k.forms, 0) AS reason_attitude_share,
    k.forms_reason_skill / nullif(k.forms, 0) AS reason_skill_share,
    k.forms_reason_speed / nullif(k.forms, 0) AS reason_speed_share,
    p.target_timeliness_rate, p.target_satisfaction_rate, p.target_complaint_rate,
    p.target_response_rate, p.target_resolution_rate, p.target_first_fix_rate,
    p.target_form_coverage, p.target_followup_rate
  FROM mart_kpi_month k
  LEFT JOIN policy_for_month p ON p.month = k.month
)
SELECT k.*,
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
FROM k
LEFT JOIN k m ON m.scope = k.scope AND m.scope_id = k.scope_id AND m.month = CAST(k.month - INTERVAL 1 MONTH AS DATE)
LEFT JOIN k y ON y.scope = k.scope AND y.scope_id = k.scope_id AND y.month = CAST(k.month - INTERVAL 12 MONTH AS DATE)
