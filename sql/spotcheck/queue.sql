-- spot-check queue · 抽查核实队列 (SPEC §2.6, seed 001: supervision phones customers to check
-- the feedback forms). For every team and ISO week, a reproducible random sample of the week's
-- forms for phone verification.
--
-- Population of a team-week: the current feedback forms of the jobs the team completed in that ISO
-- week (Monday–Sunday, by the job's completed_at; the team the job is attributed to, fct_forms).
-- It is the forms counted before verification: a verification recorded afterwards (even
-- `fraudulent`, which removes the form from the counted forms) does not change the population, so
-- a sample never shifts under the supervisor's feet; the form's latest outcome is shown instead.
--
-- The week's month: the month holding the week's Thursday (the ISO rule that also gives a week its
-- year). Its policy (policy_for_month) gives spot_check_rate, and `month=` selects the weeks whose
-- Thursday lies in that month, so a week is always sampled whole and identically whether asked for
-- by week or by month.
--
-- Sample size = ceil(spot_check_rate × forms of the team-week), the product rounded to 9 decimals
-- first so 0.05 × 60 is 3, not 4. Order: md5(form_id || '|' || week label), then form_id — a
-- deterministic pseudo-random order, the same on every request and every machine; the first
-- `sample_size` forms of each team-week are the sample.
--
-- Parameters: $week DATE (the Monday of one ISO week) or NULL; $month DATE (first day) or NULL;
-- $team VARCHAR or NULL. Exactly one of $week, $month is given.
-- The contact phone is returned unmasked: only supervisor and admin may read this queue.
WITH bounds AS (
  SELECT coalesce($week::DATE, CAST($month::DATE - INTERVAL 7 DAY AS DATE)) AS lo,
         coalesce(CAST($week::DATE + INTERVAL 7 DAY AS DATE), CAST($month::DATE + INTERVAL 1 MONTH + INTERVAL 7 DAY AS DATE)) AS hi
),
forms AS (
  SELECT f.form_id, f.ticket_id, f.team_id, f.technician_id, f.month AS job_month,
         f.timeliness, f.quality, f.attitude, f.score, f.counted, f.overall,
         j.completed_at,
         CAST(date_trunc('week', j.completed_at) AS DATE) AS week_start
  FROM fct_forms f
  JOIN fct_jobs j ON j.month = f.month AND j.ticket_id = f.ticket_id
  CROSS JOIN bounds b
  WHERE f.month BETWEEN date_trunc('month', b.lo) AND date_trunc('month', b.hi)
    AND j.completed_at >= b.lo AND j.completed_at < b.hi
    AND ($team::VARCHAR IS NULL OR f.team_id = $team)
),
weeks AS (
  SELECT *,
         CAST(date_trunc('month', week_start + INTERVAL 3 DAY) AS DATE) AS week_month,
         printf('%d-W%02d', isoyear(week_start), week(week_start)) AS week
  FROM forms
  WHERE ($week::DATE IS NULL OR week_start = $week::DATE)
    AND ($month::DATE IS NULL OR date_trunc('month', week_start + INTERVAL 3 DAY) = $month::DATE)
),
ranked AS (
  SELECT w.*,
         p.spot_check_rate,
         count(*) OVER (PARTITION BY w.team_id, w.week) AS team_week_forms,
         CAST(ceil(round(p.spot_check_rate * count(*) OVER (PARTITION BY w.team_id, w.week), 9)) AS INTEGER) AS sample_size,
         row_number() OVER (PARTITION BY w.team_id, w.week ORDER BY md5(w.form_id || '|' || w.week), w.form_id) AS sample_rank
  FROM weeks w
  JOIN policy_for_month p ON p.month = w.week_month
)
SELECT r.week, strftime(r.week_start, '%Y-%m-%d') AS week_start, strftime(r.week_month, '%Y-%m') AS week_month,
       r.team_id, tm.team_name, r.team_week_forms, r.spot_check_rate, r.sample_size, r.sample_rank,
       r.form_id, r.ticket_id, r.technician_id, te.name AS technician_name,
       t.customer_name, t.contact_phone,
       strftime(r.completed_at, '%Y-%m-%d %H:%M:%S') AS completed_at,
       strftime(fb.submitted_at, '%Y-%m-%d %H:%M:%S') AS submitted_at,
       strftime(r.job_month, '%Y-%m') AS job_month,
       fb.timeliness AS form_timeliness, fb.quality AS form_quality, fb.attitude AS form_attitude,
       r.timeliness, r.quality, r.attitude, r.score, r.counted, r.overall,
       v.outcome AS verification_outcome,
       strftime(v.verified_at, '%Y-%m-%d %H:%M:%S') AS verified_at,
       v.verified_by, v.note AS verification_note
FROM ranked r
JOIN feedback fb ON fb.form_id = r.form_id
LEFT JOIN tickets t ON t.ticket_id = r.ticket_id
LEFT JOIN teams tm ON tm.team_id = r.team_id
LEFT JOIN technicians te ON te.technician_id = r.technician_id
LEFT JOIN stg_latest_verification v ON v.form_id = r.form_id
WHERE r.sample_rank <= r.sample_size
ORDER BY r.week_start, r.team_id NULLS LAST, r.sample_rank
