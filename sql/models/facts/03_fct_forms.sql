-- fct_forms · 意见反馈表 — one row per current feedback form of a job, in the job's month
-- (SPEC §4.2). The form's latest verification decides: `fraudulent` (虚假) forms are not counted;
-- `corrected` (更正) forms count with the corrected grades. Points come from the month's policy
-- (A=2 … E=−2); the score is the sum of the three items (−6…+6). A form is satisfied when
-- `overall` is very_satisfied/satisfied, or, when empty, when its score reaches the policy's
-- threshold (3). `max_score` marks a form with the maximum score of its month's policy: 3 × the
-- best grade's points (+6 by default) — the one source of the all-maximum rule (SPEC §4.3).
-- `reason_attitude`, `reason_skill`, `reason_speed`: the form cites that dissatisfaction reason
-- (不满意原因: 服务态度, 技术水平, 速度 — feedback column `reasons`), satisfied or not; a corrected
-- form keeps the reasons the customer gave. Forms of tickets that are not jobs (not completed)
-- have no month yet. Nothing here moves with the as-of time (of fct_jobs it reads only the job's
-- month, team, technician and region), so a month revisited only for running clocks is left as is.
-- materialized: incremental
-- as-of: independent
WITH f AS (
  SELECT f.form_id, f.ticket_id, f.overall, f.source, coalesce(f.reasons, []) AS reasons,
         j.month, j.team_id, j.technician_id, j.region,
         v.outcome AS verification_outcome, v.verified_at,
         CASE WHEN v.outcome = 'corrected' THEN v.timeliness ELSE f.timeliness END AS timeliness,
         CASE WHEN v.outcome = 'corrected' THEN v.quality ELSE f.quality END AS quality,
         CASE WHEN v.outcome = 'corrected' THEN v.attitude ELSE f.attitude END AS attitude
  FROM feedback f
  JOIN fct_jobs j ON j.ticket_id = f.ticket_id AND j.month IN (SELECT month FROM refresh_months)
  LEFT JOIN stg_latest_verification v ON v.form_id = f.form_id
)
SELECT f.month, f.form_id, f.ticket_id, f.team_id, f.technician_id, f.region, f.source,
       f.verification_outcome, f.verification_outcome IS NOT NULL AS verified,
       coalesce(f.verification_outcome, '') <> 'fraudulent' AS counted,
       f.timeliness, f.quality, f.attitude,
       gt.points AS timeliness_points, gq.points AS quality_points, ga.points AS attitude_points,
       gt.points + gq.points + ga.points AS score,
       f.overall,
       CASE WHEN f.overall IS NOT NULL THEN f.overall IN ('very_satisfied', 'satisfied')
            ELSE gt.points + gq.points + ga.points >= p.satisfied_min_score END AS satisfied,
       gt.points + gq.points + ga.points = 3 * (SELECT max(points) FROM policy_grade_point g WHERE g.effective_from = p.effective_from) AS max_score,
       list_contains(f.reasons, 'attitude') AS reason_attitude,
       list_contains(f.reasons, 'skill') AS reason_skill,
       list_contains(f.reasons, 'speed') AS reason_speed
FROM f
JOIN policy_for_month p ON p.month = f.month
JOIN policy_grade_point gt ON gt.effective_from = p.effective_from AND gt.grade = f.timeliness
JOIN policy_grade_point gq ON gq.effective_from = p.effective_from AND gq.grade = f.quality
JOIN policy_grade_point ga ON ga.effective_from = p.effective_from AND ga.grade = f.attitude
