-- targeted queue · 定向抽查队列 (SPEC §4.7): for every ISO week, the forms most at risk of being
-- forged, ranked by their risk score (risk_form_score), with the signals and their reasons — the
-- second list of spot checks, kept apart from the random sample (queue.sql): its findings never
-- enter the discrepancy-rate estimate.
--
-- Population of a week: the current forms of the jobs completed in it (Monday–Sunday), as for the
-- random sample, with a score above 0 (at least one signal), leaving out the forms in the random
-- sample of their team-week (they are called anyway, and their outcome must stay in the estimate)
-- and the forms already checked from another queue (random or ad hoc). Forms checked from this
-- queue stay in it with their outcome, so recording an outcome never shifts the list.
--
-- Size of a week: the week's calls are the random sample of every team (Σ sample_size) plus the
-- targeted ones, and the policy's targeted_check_share s of the week's month (the Thursday's, as
-- for the sample) is the targeted part: ceil(random × s / (1 − s)), the product rounded to 9
-- decimals first. The list is company-wide — risk, not team size, decides who is called —; $team
-- shows that team's forms among it.
--
-- Order: score (highest first), then md5(form_id || '|' || week), then form_id: reproducible, and
-- ties are not broken by id order.
--
-- Parameters: $week DATE (a Monday) or NULL; $month DATE (first day) or NULL, the weeks whose
-- Thursday lies in it; $team VARCHAR or NULL. Unmasked phone: supervisor and admin only.
WITH bounds AS (
  SELECT coalesce($week::DATE, CAST($month::DATE - INTERVAL 7 DAY AS DATE)) AS lo,
         coalesce(CAST($week::DATE + INTERVAL 7 DAY AS DATE), CAST($month::DATE + INTERVAL 1 MONTH + INTERVAL 7 DAY AS DATE)) AS hi
),
sample AS (
  SELECT s.* FROM random_sample_between((SELECT lo FROM bounds), (SELECT hi FROM bounds)) s
  WHERE ($week::DATE IS NULL OR s.week_start = $week::DATE)
    AND ($month::DATE IS NULL OR s.week_month = $month::DATE)
),
calls AS (
  SELECT w.week, w.week_start, w.week_month, w.random_calls, p.targeted_check_share,
         CAST(ceil(round(w.random_calls * p.targeted_check_share / (1 - p.targeted_check_share), 9)) AS INTEGER) AS size
  FROM (SELECT week, week_start, week_month, CAST(sum(sample_size) AS INTEGER) AS random_calls
        FROM (SELECT DISTINCT week, week_start, week_month, team_id, sample_size FROM sample) GROUP BY ALL) w
  JOIN policy_for_month p ON p.month = w.week_month
),
checked_elsewhere AS (
  SELECT DISTINCT form_id FROM verifications
  WHERE queue <> 'targeted' AND form_id IN (SELECT form_id FROM sample)
),
candidates AS (
  SELECT s.week, r.*
  FROM sample s
  JOIN risk_form_score r ON r.form_id = s.form_id
   AND r.month BETWEEN date_trunc('month', (SELECT lo FROM bounds)) AND date_trunc('month', (SELECT hi FROM bounds))
  WHERE NOT s.in_sample AND r.score > 0 AND s.form_id NOT IN (SELECT form_id FROM checked_elsewhere)
),
ranked AS (
  SELECT c.*, count(*) OVER (PARTITION BY c.week) AS candidates,
         row_number() OVER (PARTITION BY c.week ORDER BY c.score DESC, md5(c.form_id || '|' || c.week), c.form_id) AS targeted_rank
  FROM candidates c
)
SELECT k.week, strftime(k.week_start, '%Y-%m-%d') AS week_start, strftime(k.week_month, '%Y-%m') AS week_month,
       k.random_calls, k.targeted_check_share, k.size, coalesce(r.candidates, 0) AS candidates,
       r.targeted_rank, r.form_id, r.ticket_id, r.team_id, tm.team_name, r.technician_id, te.name AS technician_name,
       t.customer_name, t.contact_phone,
       strftime(r.completed_at, '%Y-%m-%d %H:%M:%S') AS completed_at,
       strftime(r.submitted_at, '%Y-%m-%d %H:%M:%S') AS submitted_at,
       strftime(r.month, '%Y-%m') AS job_month, r.source,
       fb.timeliness AS form_timeliness, fb.quality AS form_quality, fb.attitude AS form_attitude,
       r.score, r.signals, r.reasons_zh, r.reasons_en,
       v.outcome AS verification_outcome, v.queue AS verification_queue,
       strftime(v.verified_at, '%Y-%m-%d %H:%M:%S') AS verified_at, v.verified_by, v.note AS verification_note
FROM calls k
LEFT JOIN ranked r ON r.week = k.week AND r.targeted_rank <= k.size AND ($team::VARCHAR IS NULL OR r.team_id = $team)
LEFT JOIN feedback fb ON fb.form_id = r.form_id
LEFT JOIN tickets t ON t.ticket_id = r.ticket_id
LEFT JOIN teams tm ON tm.team_id = r.team_id
LEFT JOIN technicians te ON te.technician_id = r.technician_id
LEFT JOIN stg_latest_verification v ON v.form_id = r.form_id
ORDER BY k.week_start, r.targeted_rank NULLS LAST
