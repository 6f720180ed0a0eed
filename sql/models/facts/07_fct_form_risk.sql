-- fct_form_risk · 反馈表风险信号 — one row per current feedback form of a job, in the job's month
-- (as fct_forms), with the risk signals of SPEC §4.7 that the form's own records show: for each, a
-- flag, a strength in [0, 1] (0 when it does not fire), a plain-words reason in Chinese and English
-- (only when it fires) and the evidence. The technician-level signals (all-maximum share, earlier
-- findings) are in mart_technician_risk_month; risk_form_score combines both into the form's score.
-- No signal reads a verification of the form or any ground truth: only tickets, forms, technicians.
--
--   shared_phone      一号多户: the ticket's contact phone is on the forms of at least
--                     risk_phone_min_customers *other* customers whose jobs were completed in the
--                     risk_phone_window_days up to this job. Customers are told apart by customer_id
--                     (else name), so a fleet's one phone on hundreds of its own tickets never fires.
--                     Evidence: other customers, their forms (ids: sql/spotcheck/form_risk.sql).
--   technician_phone  客户电话为服务人员手机: the contact phone is a technician's mobile (SPEC §2.2) —
--                     strength 1 for the serving technician's own, 0.5 for another technician's.
--   early_submission  完工前提交: submitted before completed_at + risk_early_submit_minutes (0: before
--                     the job was done). A submitted_at without a time of day (00:00:00, a date
--                     only) fires only when its day is before the completion day.
--   burst             集中代填: within ± risk_burst_minutes of this form, the same technician's forms
--                     (not phone follow-ups, which a call centre makes in a row; timed ones only; not
--                     those submitted within risk_burst_minutes after their own job's completion) of
--                     at least risk_burst_min_customers *different* customers, this one's included —
--                     several vehicles of one customer serviced in one visit count once. Evidence:
--                     the burst's other forms.
--   replaced_drop     现场表被电话回访推翻: an on-site version of this ticket's form (the current one or
--                     one it replaced, SPEC §2.4 history) scored at least risk_replaced_drop_points
--                     more than a later phone version. Evidence: both forms and scores.
-- `submitted_max`: the submitted grades (not a spot check's corrections) make the maximum score of
-- the month's policy — what the all-maximum binomial test counts.
-- `local_score` = 1 − Π (1 − weight × strength) over the signals above (noisy-OR; see docs/models.md).
--
-- Incremental by month: the windows look back at most one month (phone: ≤ 28 days before the job;
-- burst: forms of jobs of this or the previous month), and a refresh always rebuilds the month after
-- every month a batch touches, so a change anywhere reaches every row whose window holds it.
-- Nothing here reads the as-of time: a month revisited only because the time moved keeps its rows.
-- materialized: incremental
-- as-of: independent
WITH months AS (
  SELECT month FROM refresh_months
  UNION SELECT CAST(month - INTERVAL 1 MONTH AS DATE) FROM refresh_months
),
base AS (
  -- (every form of fct_forms is a job's: its ticket's completed_at is the job's)
  SELECT f.month, f.form_id, f.ticket_id, f.team_id, f.technician_id, f.region, f.source,
         fb.submitted_at, t.completed_at, fb.timeliness, fb.quality, fb.attitude,
         phone_key(t.contact_phone) AS phone, customer_key(t.customer_id, t.customer_name) AS customer,
         f.month IN (SELECT month FROM refresh_months) AS refreshed
  FROM fct_forms f
  JOIN feedback fb ON fb.form_id = f.form_id
  JOIN tickets t ON t.ticket_id = f.ticket_id
   AND t.completed_at >= getvariable('refresh_from') - INTERVAL 1 MONTH AND t.completed_at < getvariable('refresh_to')
  WHERE f.month IN (SELECT month FROM months)
),
shared AS (
  -- phones on more than one customer's forms here: the only ones whose window can hold another
  -- customer (a fleet's phone, or a customer's own, never is)
  SELECT phone FROM base WHERE phone IS NOT NULL GROUP BY phone HAVING min(customer) <> max(customer)
),
phone AS (
  -- the window looks back from this job only, so it never leaves this month and the one before
  SELECT b.form_id, b.refreshed,
         count(DISTINCT b.customer) OVER w - 1 AS other_customers,
         count(*) OVER w - count(*) OVER wc AS other_forms
  FROM base b JOIN policy_for_month p ON p.month = b.month
  WHERE b.phone IN (SELECT phone FROM shared)
  WINDOW w AS (PARTITION BY b.phone ORDER BY b.completed_at RANGE BETWEEN to_days(p.risk_phone_window_days) PRECEDING AND CURRENT ROW),
         wc AS (PARTITION BY b.phone, b.customer ORDER BY b.completed_at RANGE BETWEEN to_days(p.risk_phone_window_days) PRECEDING AND CURRENT ROW)
),
tech_phone AS (
  SELECT b.form_id,
         bool_or(te.technician_id = b.technician_id) AS own,
         arg_min(te.technician_id, (te.technician_id IS DISTINCT FROM b.technician_id, te.technician_id)) AS technician
  FROM base b
  JOIN (SELECT technician_id, phone_key(phone) AS phone FROM technicians) te ON te.phone = b.phone
  WHERE b.refreshed
  GROUP BY b.form_id
),
timed AS (
  -- forms a technician could have typed in a row: timed, not phone follow-ups, and not submitted in the
  -- risk_burst_minutes right after their own job was completed (a customer filling in the form as
  -- the job ends explains its time, however close the technician's jobs are)
  SELECT b.month, b.form_id, b.technician_id, b.customer, b.submitted_at, epoch(b.submitted_at) AS s, b.refreshed
  FROM base b JOIN policy_for_month p ON p.month = b.month
  WHERE b.technician_id IS NOT NULL AND coalesce(b.source, '') <> 'phone'
    AND b.submitted_at IS NOT NULL AND b.submitted_at <> date_trunc('day', b.submitted_at)
    AND NOT (b.submitted_at >= b.completed_at AND b.submitted_at <= b.completed_at + to_minutes(p.risk_burst_minutes))
),
burst AS (
  -- pairs found by time buckets as wide as the window (this bucket and its neighbours), so only
  -- forms minutes apart are ever compared
  SELECT f.form_id, count(DISTINCT g.customer) AS other_customers,
         list(g.form_id ORDER BY g.submitted_at, g.form_id) AS other_forms
  FROM (SELECT x.*, p.risk_burst_minutes * 60 AS w, floor(x.s / (p.risk_burst_minutes * 60)) AS bucket
        FROM timed x JOIN policy_for_month p ON p.month = x.month WHERE x.refreshed) f
  JOIN (SELECT x.*, w.w, floor(x.s / w.w) + d.d AS bucket
        FROM timed x,
             (SELECT DISTINCT risk_burst_minutes * 60 AS w FROM policy_for_month WHERE month IN (SELECT month FROM refresh_months)) w,
             (VALUES (-1), (0), (1)) d(d)) g
    ON g.technician_id = f.technician_id AND g.w = f.w AND g.bucket = f.bucket
   AND g.form_id <> f.form_id AND abs(g.s - f.s) <= f.w
   AND g.month BETWEEN CAST(f.month - INTERVAL 1 MONTH AS DATE) AND f.month
   AND g.customer IS DISTINCT FROM f.customer
  GROUP BY f.form_id
),
replaced_versions AS (
  -- the forms this ticket's current form replaced (SPEC §2.4: kept in history)
  SELECT DISTINCT b.form_id AS current_form, b.month, h.form_id, h.source, h.submitted_at, true AS replaced, h.timeliness, h.quality, h.attitude
  FROM base b
  JOIN feedback_history h ON h.ticket_id = b.ticket_id AND h.change = 'replaced' AND h.form_id <> b.form_id
  WHERE b.refreshed
),
versions AS (
  SELECT * FROM replaced_versions
  UNION ALL
  SELECT form_id, month, form_id, source, submitted_at, false, timeliness, quality, attitude
  FROM base WHERE refreshed AND form_id IN (SELECT current_form FROM replaced_versions)
),
scored AS (
  SELECT v.*, gt.points + gq.points + ga.points AS score
  FROM versions v
  JOIN policy_for_month p ON p.month = v.month
  JOIN policy_grade_point gt ON gt.effective_from = p.effective_from AND gt.grade = v.timeliness
  JOIN policy_grade_point gq ON gq.effective_from = p.effective_from AND gq.grade = v.quality
  JOIN policy_grade_point ga ON ga.effective_from = p.effective_from AND ga.grade = v.attitude
),
replaced AS (
  SELECT o.current_form AS form_id,
         arg_max({'on_site_form': o.form_id, 'on_site_score': o.score, 'phone_form': ph.form_id, 'phone_score': ph.score},
                 (o.score - ph.score, -epoch(coalesce(ph.submitted_at, TIMESTAMP '2000-01-01')), ph.form_id)) AS pair
  FROM scored o
  JOIN scored ph ON ph.current_form = o.current_form AND ph.form_id <> o.form_id
   AND coalesce(ph.submitted_at > o.submitted_at, o.replaced AND NOT ph.replaced)
  WHERE o.source = 'on_site' AND ph.source = 'phone'
  GROUP BY o.current_form
),
sig AS (
  -- the few forms any of the signals above found, one row each (joined to every form once)
  SELECT form_id,
         max(p_other_customers) AS p_other_customers, max(p_other_forms) AS p_other_forms,
         bool_or(t_found) AS t_found, bool_or(t_own) AS t_own, max(t_technician) AS t_technician,
         max(b_other_customers) AS b_other_customers, any_value(b_other_forms) AS b_other_forms,
         any_value(pair) AS pair
  FROM (
    SELECT form_id, other_customers AS p_other_customers, other_forms AS p_other_forms FROM phone WHERE refreshed AND other_customers > 0
    UNION ALL BY NAME SELECT form_id, true AS t_found, own AS t_own, technician AS t_technician FROM tech_phone
    UNION ALL BY NAME SELECT form_id, other_customers AS b_other_customers, other_forms AS b_other_forms FROM burst
    UNION ALL BY NAME SELECT form_id, pair FROM replaced
  )
  GROUP BY form_id
),
best AS (
  -- the grades worth the most points: a form whose three grades are among them has the maximum score
  SELECT effective_from, list(grade) FILTER (WHERE points = top) AS grades
  FROM (SELECT *, max(points) OVER (PARTITION BY effective_from) AS top FROM policy_grade_point)
  GROUP BY effective_from
),
r AS (
  SELECT b.*,
         p.risk_phone_window_days, p.risk_burst_minutes,
         coalesce(s.p_other_customers >= p.risk_phone_min_customers, false) AS shared_phone,
         coalesce(s.p_other_customers, 0) AS phone_other_customers, coalesce(s.p_other_forms, 0) AS phone_other_forms,
         coalesce(s.t_found, false) AS technician_phone,
         CAST(CASE WHEN s.t_own THEN 1 WHEN s.t_found THEN 0.5 ELSE 0 END AS DOUBLE) AS technician_phone_strength,
         s.t_technician AS phone_technician_id, coalesce(s.t_own, false) AS phone_is_own,
         b.submitted_at = date_trunc('day', b.submitted_at) AS submitted_date_only,
         CAST(floor((epoch(b.submitted_at) - epoch(b.completed_at)) / 60) AS BIGINT) AS minutes_after_completion,
         coalesce(CASE WHEN b.submitted_at = date_trunc('day', b.submitted_at) THEN CAST(b.submitted_at AS DATE) < CAST(b.completed_at AS DATE)
                       ELSE b.submitted_at < b.completed_at + to_minutes(p.risk_early_submit_minutes) END, false) AS early_submission,
         coalesce(s.b_other_customers + 1 >= p.risk_burst_min_customers, false) AS burst,
         coalesce(s.b_other_customers + 1, 0) AS burst_customers,
         coalesce(s.b_other_forms, []) AS burst_form_ids,
         coalesce(s.pair.on_site_score - s.pair.phone_score >= p.risk_replaced_drop_points, false) AS replaced_drop,
         s.pair.on_site_form AS replaced_on_site_form, s.pair.on_site_score AS replaced_on_site_score,
         s.pair.phone_form AS replaced_phone_form, s.pair.phone_score AS replaced_phone_score,
         list_contains(g.grades, b.timeliness) AND list_contains(g.grades, b.quality) AND list_contains(g.grades, b.attitude) AS submitted_max,
         p.risk_weight_shared_phone, p.risk_weight_technician_phone, p.risk_weight_early_submission,
         p.risk_weight_burst, p.risk_weight_replaced_drop
  FROM base b
  JOIN policy_for_month p ON p.month = b.month
  JOIN best g ON g.effective_from = p.effective_from
  LEFT JOIN sig s ON s.form_id = b.form_id
  WHERE b.refreshed
)
SELECT month, form_id, ticket_id, team_id, technician_id, region, source, submitted_at, completed_at, submitted_max,
  shared_phone, CAST(shared_phone AS DOUBLE) AS shared_phone_strength,
  phone_other_customers, phone_other_forms, risk_phone_window_days AS phone_window_days,
  CASE WHEN shared_phone THEN printf('联系电话在此前 %d 天内还出现在 %d 位其他客户的 %d 份反馈表上', risk_phone_window_days, phone_other_customers, phone_other_forms) END AS shared_phone_reason_zh,
  CASE WHEN shared_phone THEN printf('the contact phone is also on %d forms of %d other customers in the %d days before', phone_other_forms, phone_other_customers, risk_phone_window_days) END AS shared_phone_reason_en,
  technician_phone, technician_phone_strength, phone_technician_id, phone_is_own,
  CASE WHEN technician_phone AND phone_is_own THEN printf('联系电话是本单服务人员 %s 本人的手机号', phone_technician_id)
       WHEN technician_phone THEN printf('联系电话是服务人员 %s(非本单服务人员)的手机号', phone_technician_id) END AS technician_phone_reason_zh,
  CASE WHEN technician_phone AND phone_is_own THEN printf('the contact phone is the serving technician''s own mobile (%s)', phone_technician_id)
       WHEN technician_phone THEN printf('the contact phone is the mobile of technician %s (not the one who served)', phone_technician_id) END AS technician_phone_reason_en,
  early_submission, CAST(early_submission AS DOUBLE) AS early_submission_strength,
  minutes_after_completion, submitted_date_only,
  CASE WHEN NOT early_submission THEN NULL
       WHEN submitted_date_only THEN printf('反馈表填写日期 %s 早于完工日期 %s', strftime(submitted_at, '%Y-%m-%d'), strftime(completed_at, '%Y-%m-%d'))
       WHEN minutes_after_completion < 0 THEN printf('反馈表在完工前 %d 分钟提交', -minutes_after_completion)
       ELSE printf('反馈表在完工后仅 %d 分钟提交', minutes_after_completion) END AS early_submission_reason_zh,
  CASE WHEN NOT early_submission THEN NULL
       WHEN submitted_date_only THEN printf('the form is dated %s, before the job was completed on %s', strftime(submitted_at, '%Y-%m-%d'), strftime(completed_at, '%Y-%m-%d'))
       WHEN minutes_after_completion < 0 THEN printf('the form was submitted %d minutes before the job was completed', -minutes_after_completion)
       ELSE printf('the form was submitted only %d minutes after the job was completed', minutes_after_completion) END AS early_submission_reason_en,
  burst, CAST(burst AS DOUBLE) AS burst_strength, burst_customers, burst_form_ids, risk_burst_minutes AS burst_minutes,
  CASE WHEN burst THEN printf('同一服务人员在前后 %d 分钟内提交了 %d 位不同客户的 %d 份反馈表', risk_burst_minutes, burst_customers, len(burst_form_ids) + 1) END AS burst_reason_zh,
  CASE WHEN burst THEN printf('%d forms of %d different customers of the same technician were submitted within %d minutes of each other', len(burst_form_ids) + 1, burst_customers, risk_burst_minutes) END AS burst_reason_en,
  replaced_drop, CAST(replaced_drop AS DOUBLE) AS replaced_drop_strength,
  replaced_on_site_form, replaced_on_site_score, replaced_phone_form, replaced_phone_score,
  CASE WHEN replaced_drop THEN printf('现场填写的反馈表 %s 得 %d 分,之后电话回访的反馈表 %s 只得 %d 分', replaced_on_site_form, replaced_on_site_score, replaced_phone_form, replaced_phone_score) END AS replaced_drop_reason_zh,
  CASE WHEN replaced_drop THEN printf('the on-site form %s scored %d, the later phone form %s only %d', replaced_on_site_form, replaced_on_site_score, replaced_phone_form, replaced_phone_score) END AS replaced_drop_reason_en,
  CAST(shared_phone AS INTEGER) + CAST(technician_phone AS INTEGER) + CAST(early_submission AS INTEGER) + CAST(burst AS INTEGER) + CAST(replaced_drop AS INTEGER) AS local_signals,
  1 - (1 - risk_weight_shared_phone * CAST(shared_phone AS DOUBLE))
    * (1 - risk_weight_technician_phone * technician_phone_strength)
    * (1 - risk_weight_early_submission * CAST(early_submission AS DOUBLE))
    * (1 - risk_weight_burst * CAST(burst AS DOUBLE))
    * (1 - risk_weight_replaced_drop * CAST(replaced_drop AS DOUBLE)) AS local_score
FROM r
