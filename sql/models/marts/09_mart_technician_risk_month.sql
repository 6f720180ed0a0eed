-- mart_technician_risk_month · 服务人员月度风险 — per month and technician with forms that month:
-- the form-level signals (counts from mart_technician_forms_month), the two technician-level
-- signals of SPEC §4.7, and the month's combined risk scores of the technician's forms.
--
--   all_max         满分比例异常: over the rolling window of risk_all_max_months months up to this
--                   one, k of the technician's n forms have the maximum submitted score. The exact
--                   one-sided binomial test asks how likely k or more is if the technician's forms
--                   were all-maximum as often as the rest of the team's (basis 'team': the team
--                   the technician served most this month, without the technician) — or the rest of
--                   the company's ('company') when the team's others have fewer than
--                   risk_all_max_min_forms forms. p = P(X ≥ k), X ~ Binomial(n, share), from the
--                   log-gamma pmf summed in order: the tail from k up when k is above the mean, else
--                   1 − the terms below k; either sum stops 10 standard deviations + 10 terms out,
--                   past which the terms add less than 1e-20 of it. It fires when p is below
--                   risk_all_max_p_value (needs n ≥ risk_all_max_min_forms); a form carries it
--                   only when it is itself all-maximum (risk_form_score). An excellent technician
--                   is judged by the p-value, not by the share alone.
--   prior_findings  此前查实: forms of the technician whose latest spot check before this month
--                   (within risk_findings_months) found them fraudulent, or corrected — from any
--                   queue, the checks of this month and the forms of this month's jobs never count.
--                   Fires with at least one fraudulent (strength 1), or without one when at least
--                   risk_findings_min_corrected forms and risk_findings_corrected_share of the
--                   technician's checked forms were corrected (strength 0.5): a customer corrects
--                   honest work too (about one check in ten), so a count alone would flag everyone
--                   checked often. It applies to all the technician's forms, in full to the
--                   all-maximum ones of a source among prior_fraud_sources (the sources of the forms
--                   found fraudulent), half for each difference (migration 012).
--   patterns        (012) over the same window as all_max: the sources whose forms were flagged by
--                   early_submission / burst at least twice and at least one in twenty of the
--                   technician's forms of that source, and replaced_drop_pattern (drops at least
--                   twice and one in twenty of the on-site forms); risk_form_score carries them to
--                   the technician's unflagged all-maximum forms of that source at strength 0.5.
--
-- Scores: a form's score is 1 − (1 − local_score)(1 − w_all_max·all_max)(1 − w_findings·strength)
-- × Π (1 − w·0.5) over the patterns reaching it (risk_form_score). The technician-level factor is one
-- per group — per source: flagged all-maximum forms, unflagged all-maximum forms, others —, so the
-- month's sum, mean and largest score follow exactly from the groups' sums and largest local scores:
-- Σ score = Σ_g [n_g − (1 − B_g)(n_g − Σ local)], max = max_g [1 − (1 − max local)(1 − B_g)]
-- (the unflagged forms' local score is 0), summed in source order.
-- score_sum is what the ranking of technicians uses: were each score the chance its form is forged,
-- the number of forged forms to expect.
-- Rebuilt whole on every refresh (a few thousand rows): the windows reach back months and the
-- findings any month before, which the incremental months would not cover.
-- materialized: table
WITH tf AS (SELECT * FROM mart_technician_forms_month),
tech AS (
  SELECT month, technician_id, CAST(sum(forms) AS BIGINT) AS forms, CAST(sum(forms_max) AS BIGINT) AS forms_max, CAST(sum(forms_flagged) AS BIGINT) AS forms_flagged,
         CAST(sum(shared_phone_forms) AS BIGINT) AS shared_phone_forms, CAST(sum(technician_phone_forms) AS BIGINT) AS technician_phone_forms,
         CAST(sum(early_submission_forms) AS BIGINT) AS early_submission_forms, CAST(sum(burst_forms) AS BIGINT) AS burst_forms,
         CAST(sum(replaced_drop_forms) AS BIGINT) AS replaced_drop_forms,
         sum(local_sum_max) AS local_sum_max, max(local_max_max) AS local_max_max,
         sum(local_sum_other) AS local_sum_other, max(local_max_other) AS local_max_other
  FROM tf WHERE technician_id <> ''
  GROUP BY month, technician_id
),
main_team AS (
  SELECT month, technician_id, team_id FROM (SELECT month, technician_id, team_id, sum(forms) AS forms FROM tf WHERE technician_id <> '' GROUP BY ALL)
  QUALIFY row_number() OVER (PARTITION BY month, technician_id ORDER BY forms DESC, team_id) = 1
),
by_source AS (
  -- the month's forms of a technician by source, for the scores (earlier findings weigh by source)
  SELECT month, technician_id, source, CAST(sum(forms) AS BIGINT) AS forms, CAST(sum(forms_max) AS BIGINT) AS forms_max,
         CAST(sum(forms_max_unflagged) AS BIGINT) AS forms_max_unflagged, sum(local_sum_max) AS local_sum_max, max(local_max_max) AS local_max_max,
         sum(local_sum_other) AS local_sum_other, max(local_max_other) AS local_max_other
  FROM tf WHERE technician_id <> ''
  GROUP BY ALL
),
cur AS (
  SELECT t.*, m.team_id, p.risk_all_max_months, p.risk_all_max_min_forms, p.risk_all_max_p_value,
         p.risk_findings_months, p.risk_findings_min_corrected, p.risk_findings_corrected_share, p.risk_weight_all_max, p.risk_weight_prior_findings,
         p.risk_weight_early_submission, p.risk_weight_burst, p.risk_weight_replaced_drop,
         CAST(t.month - to_months(p.risk_all_max_months - 1) AS DATE) AS window_from
  FROM tech t
  JOIN main_team m USING (month, technician_id)
  JOIN policy_for_month p ON p.month = t.month
),
team_month AS (SELECT month, team_id, CAST(sum(forms) AS BIGINT) AS forms, CAST(sum(forms_max) AS BIGINT) AS forms_max FROM tf GROUP BY ALL),
company_month AS (SELECT month, CAST(sum(forms) AS BIGINT) AS forms, CAST(sum(forms_max) AS BIGINT) AS forms_max FROM tf GROUP BY ALL),
win AS (
  SELECT month, technician_id, CAST(n AS BIGINT) AS n, CAST(k AS BIGINT) AS k, CAST(team_n AS BIGINT) AS team_n, CAST(team_k AS BIGINT) AS team_k,
         CAST(company_n AS BIGINT) AS company_n, CAST(company_k AS BIGINT) AS company_k
  FROM (SELECT c.month, c.technician_id,
    (SELECT sum(x.forms) FROM tech x WHERE x.technician_id = c.technician_id AND x.month BETWEEN c.window_from AND c.month) AS n,
    (SELECT sum(x.forms_max) FROM tech x WHERE x.technician_id = c.technician_id AND x.month BETWEEN c.window_from AND c.month) AS k,
    (SELECT sum(x.forms) FROM team_month x WHERE x.team_id = c.team_id AND x.month BETWEEN c.window_from AND c.month)
      - (SELECT coalesce(sum(x.forms), 0) FROM tf x WHERE x.team_id = c.team_id AND x.technician_id = c.technician_id AND x.month BETWEEN c.window_from AND c.month) AS team_n,
    (SELECT sum(x.forms_max) FROM team_month x WHERE x.team_id = c.team_id AND x.month BETWEEN c.window_from AND c.month)
      - (SELECT coalesce(sum(x.forms_max), 0) FROM tf x WHERE x.team_id = c.team_id AND x.technician_id = c.technician_id AND x.month BETWEEN c.window_from AND c.month) AS team_k,
    (SELECT sum(x.forms) FROM company_month x WHERE x.month BETWEEN c.window_from AND c.month) AS company_n,
    (SELECT sum(x.forms_max) FROM company_month x WHERE x.month BETWEEN c.window_from AND c.month) AS company_k
  FROM cur c)
),
basis AS (
  SELECT w.month, w.technician_id, w.n, w.k,
         CASE WHEN c.team_id <> '' AND w.team_n >= c.risk_all_max_min_forms THEN 'team'
              WHEN w.company_n - w.n >= c.risk_all_max_min_forms THEN 'company' END AS basis,
         CASE WHEN c.team_id <> '' AND w.team_n >= c.risk_all_max_min_forms THEN w.team_k / w.team_n
              WHEN w.company_n - w.n >= c.risk_all_max_min_forms THEN (w.company_k - w.k) / (w.company_n - w.n) END AS share
  FROM win w JOIN cur c USING (month, technician_id)
),
tested AS (
  SELECT b.*, c.risk_all_max_min_forms,
         b.basis IS NOT NULL AND b.n >= c.risk_all_max_min_forms AND b.share > 0 AND b.share < 1 AS by_terms,
         b.k > b.n * b.share AS upper_tail,
         CAST(ceil(10 * sqrt(b.n * b.share * (1 - b.share))) AS BIGINT) + 10 AS reach
  FROM basis b JOIN cur c USING (month, technician_id)
),
terms AS (
  SELECT month, technician_id, i,
         exp(lgamma(n + 1) - lgamma(i + 1) - lgamma(n - i + 1) + i * ln(share) + (n - i) * ln(1 - share)) AS pmf
  FROM (SELECT *, unnest(CASE WHEN upper_tail THEN range(k, least(n, k + reach) + 1)
                              ELSE range(greatest(0, k - 1 - reach), k) END) AS i
        FROM tested WHERE by_terms)
),
tail AS (
  -- summed in a fixed order, so the p-value is the same to the last bit on every build
  SELECT month, technician_id, list_sum(list(pmf ORDER BY i)) AS s FROM terms GROUP BY ALL
),
pv AS (
  SELECT t.month, t.technician_id, t.n, t.k, t.basis, t.share,
         CASE WHEN t.basis IS NULL OR t.n < t.risk_all_max_min_forms THEN NULL
              WHEN t.share = 0 THEN CASE WHEN t.k = 0 THEN 1.0 ELSE 0.0 END
              WHEN t.share = 1 THEN 1.0
              WHEN t.upper_tail THEN least(1.0, coalesce(s.s, 0))
              ELSE greatest(0.0, least(1.0, 1 - coalesce(s.s, 0))) END::DOUBLE AS p_value
  FROM tested t LEFT JOIN tail s USING (month, technician_id)
),
found AS (
  -- each check's outcome is the form's standing from the month after it until the month after its
  -- next check (the latest check before a month decides), for risk_findings_months at most
  SELECT technician_id, form_id, outcome, job_month,
         CAST(month + INTERVAL 1 MONTH AS DATE) AS from_month,
         CAST(date_trunc('month', lead(verified_at) OVER (PARTITION BY form_id ORDER BY verified_at, batch_id, line_no)) + INTERVAL 1 MONTH AS DATE) AS next_from
  FROM fct_spot_check
),
pw AS (
  -- the technician's forms flagged by early_submission, burst, replaced_drop over the technician-level
  -- window (risk_all_max_months up to the month), by source
  SELECT c.month, c.technician_id, x.source, CAST(sum(x.forms) AS BIGINT) AS forms,
         CAST(sum(x.early_submission_forms) AS BIGINT) AS early_submission_forms, CAST(sum(x.burst_forms) AS BIGINT) AS burst_forms,
         CAST(sum(x.replaced_drop_forms) AS BIGINT) AS replaced_drop_forms
  FROM cur c JOIN tf x ON x.technician_id = c.technician_id AND x.month BETWEEN c.window_from AND c.month
  GROUP BY ALL
),
pattern AS (
  -- a pattern repeats: at least 2 forms, and at least 1 in 20 of the technician's forms of the source
  -- (of the on-site forms for a drop) — an honest technician's odd burst or contradicted form is neither
  SELECT month, technician_id,
         list({'source': source, 'forms': forms, 'early_submission_forms': early_submission_forms, 'burst_forms': burst_forms} ORDER BY source) AS pattern_by_source,
         coalesce(list(source ORDER BY source) FILTER (WHERE early_submission_forms >= 2 AND early_submission_forms >= 0.05 * forms), []) AS early_submission_pattern_sources,
         coalesce(list(source ORDER BY source) FILTER (WHERE burst_forms >= 2 AND burst_forms >= 0.05 * forms), []) AS burst_pattern_sources,
         CAST(sum(replaced_drop_forms) AS BIGINT) AS replaced_drop_window_forms,
         coalesce(sum(forms) FILTER (WHERE source = 'on_site'), 0) AS on_site_window_forms
  FROM pw GROUP BY ALL
),
fraud_source AS (
  -- the source of each form ever found fraudulent: the current form's, else its latest version's in history
  SELECT form_id, coalesce(source, '') AS source FROM (
    SELECT form_id, source, 0 AS o, 0 AS superseded_by, 0 AS batch_id, 0 AS line_no FROM feedback
    WHERE form_id IN (SELECT form_id FROM fct_spot_check WHERE outcome = 'fraudulent')
    UNION ALL
    SELECT form_id, source, 1, superseded_by, batch_id, line_no FROM feedback_history
    WHERE form_id IN (SELECT form_id FROM fct_spot_check WHERE outcome = 'fraudulent')
  )
  QUALIFY row_number() OVER (PARTITION BY form_id ORDER BY o, superseded_by DESC, batch_id DESC, line_no DESC) = 1
),
findings AS (
  SELECT c.month, c.technician_id,
         count(DISTINCT f.form_id) FILTER (WHERE f.outcome = 'fraudulent') AS prior_fraudulent,
         count(DISTINCT f.form_id) FILTER (WHERE f.outcome = 'corrected') AS prior_corrected,
         count(DISTINCT f.form_id) AS prior_checked,
         list(DISTINCT coalesce(fs.source, '') ORDER BY coalesce(fs.source, '')) FILTER (WHERE f.outcome = 'fraudulent') AS prior_fraud_sources
  FROM cur c
  JOIN found f ON f.technician_id = c.technician_id
   AND c.month >= f.from_month AND (f.next_from IS NULL OR c.month < f.next_from)
   AND c.month < f.from_month + to_months(c.risk_findings_months)
   AND (f.job_month IS NULL OR f.job_month < c.month)
  LEFT JOIN fraud_source fs ON fs.form_id = f.form_id
  GROUP BY c.month, c.technician_id
),
s AS (
  SELECT c.*, pv.n AS all_max_forms, pv.k AS all_max_max_forms, pv.basis AS all_max_basis, pv.share AS all_max_basis_share,
         pv.p_value AS all_max_p_value, coalesce(pv.p_value < c.risk_all_max_p_value, false) AS all_max,
         coalesce(fi.prior_fraudulent, 0) AS prior_fraudulent, coalesce(fi.prior_corrected, 0) AS prior_corrected,
         coalesce(fi.prior_checked, 0) AS prior_checked,
         CASE WHEN coalesce(fi.prior_fraudulent, 0) > 0 THEN fi.prior_fraud_sources ELSE CAST([] AS VARCHAR[]) END AS prior_fraud_sources,
         CAST(CASE WHEN coalesce(fi.prior_fraudulent, 0) > 0 THEN 1
                   WHEN coalesce(fi.prior_corrected, 0) >= c.risk_findings_min_corrected
                    AND fi.prior_corrected >= c.risk_findings_corrected_share * fi.prior_checked THEN 0.5
                   ELSE 0 END AS DOUBLE) AS prior_findings_strength,
         coalesce(pa.pattern_by_source, []) AS pattern_by_source,
         coalesce(pa.early_submission_pattern_sources, []) AS early_submission_pattern_sources,
         coalesce(pa.burst_pattern_sources, []) AS burst_pattern_sources,
         coalesce(pa.replaced_drop_window_forms, 0) AS replaced_drop_window_forms,
         coalesce(pa.replaced_drop_window_forms >= 2 AND pa.replaced_drop_window_forms >= 0.05 * pa.on_site_window_forms, false) AS replaced_drop_pattern
  FROM cur c
  LEFT JOIN pv USING (month, technician_id)
  LEFT JOIN findings fi USING (month, technician_id)
  LEFT JOIN pattern pa USING (month, technician_id)
),
g AS (
  -- per source, the technician-level factors (risk_form_score): b_max of the all-maximum forms, b_other
  -- of the others — earlier findings count in full on all-maximum forms of a source found forged, and
  -- half for each of "not all-maximum" and "another source" —, and c of the all-maximum forms without
  -- a form-level signal of their own, which a repeated pattern reaches at half strength
  SELECT x.*, 1 - (1 - s.risk_weight_all_max * CAST(s.all_max AS DOUBLE)) * (1 - s.risk_weight_prior_findings * s.prior_findings_strength * m.f) AS b_max,
         s.risk_weight_prior_findings * s.prior_findings_strength * m.f * 0.5 AS b_other,
         1 - (1 - s.risk_weight_early_submission * 0.5 * CAST(list_contains(s.early_submission_pattern_sources, x.source) AS DOUBLE))
           * (1 - s.risk_weight_burst * 0.5 * CAST(list_contains(s.burst_pattern_sources, x.source) AS DOUBLE))
           * (1 - s.risk_weight_replaced_drop * 0.5 * CAST(x.source = 'on_site' AND s.replaced_drop_pattern AS DOUBLE)) AS c
  FROM by_source x
  JOIN s USING (month, technician_id)
  CROSS JOIN LATERAL (SELECT prior_findings_source_factor(s.prior_fraud_sources, x.source) AS f) m
),
gs AS (
  -- summed in a fixed order, so the sum is the same to the last bit on every build
  SELECT month, technician_id,
         list_sum(list(((forms_max - forms_max_unflagged) - (1 - b_max) * ((forms_max - forms_max_unflagged) - CAST(local_sum_max AS DOUBLE)))
                       + forms_max_unflagged * (1 - (1 - b_max) * (1 - c))
                       + ((forms - forms_max) - (1 - b_other) * ((forms - forms_max) - CAST(local_sum_other AS DOUBLE))) ORDER BY source)) AS score_sum,
         max(greatest(1 - (1 - local_max_max) * (1 - b_max), CASE WHEN forms_max_unflagged > 0 THEN 1 - (1 - b_max) * (1 - c) END,
                      1 - (1 - local_max_other) * (1 - b_other))) AS max_score
  FROM g GROUP BY ALL
),
b AS (SELECT s.*, gs.score_sum, gs.max_score FROM s JOIN gs USING (month, technician_id))
SELECT month, technician_id, team_id, forms, forms_max, forms_flagged,
  shared_phone_forms, technician_phone_forms, early_submission_forms, burst_forms, replaced_drop_forms,
  all_max, CAST(all_max AS DOUBLE) AS all_max_strength, risk_all_max_months AS all_max_months,
  all_max_forms, all_max_max_forms, all_max_max_forms / nullif(all_max_forms, 0) AS all_max_share,
  all_max_basis, all_max_basis_share, all_max_p_value,
  CASE WHEN all_max THEN printf('近 %d 个月 %d 份反馈表中 %d 份满分(%.1f%%),%s其他人员满分比例 %.1f%%,二项检验 p = %.2g',
    risk_all_max_months, all_max_forms, all_max_max_forms, 100.0 * all_max_max_forms / all_max_forms,
    CASE all_max_basis WHEN 'team' THEN '本班组' ELSE '全公司' END, 100 * all_max_basis_share, all_max_p_value) END AS all_max_reason_zh,
  CASE WHEN all_max THEN printf('%d of %d forms in the last %d months have the maximum score (%.1f%%), against %.1f%% for the rest of the %s; binomial p = %.2g',
    all_max_max_forms, all_max_forms, risk_all_max_months, 100.0 * all_max_max_forms / all_max_forms,
    100 * all_max_basis_share, all_max_basis, all_max_p_value) END AS all_max_reason_en,
  prior_findings_strength > 0 AS prior_findings, prior_findings_strength, prior_fraudulent, prior_corrected, prior_checked, prior_fraud_sources,
  pattern_by_source, early_submission_pattern_sources, burst_pattern_sources, replaced_drop_window_forms, replaced_drop_pattern,
  risk_findings_months AS findings_months,
  CASE WHEN prior_findings_strength > 0 THEN printf('此前 %d 个月内抽查该服务人员的 %d 份反馈表,查实 %d 份虚假、%d 份更正', risk_findings_months, prior_checked, prior_fraudulent, prior_corrected) END AS prior_findings_reason_zh,
  CASE WHEN prior_findings_strength > 0 THEN printf('of %d forms of this technician checked in the %d months before, %d were found forged and %d corrected', prior_checked, risk_findings_months, prior_fraudulent, prior_corrected) END AS prior_findings_reason_en,
  score_sum, score_sum / forms AS mean_score, max_score,
  list_filter([CASE WHEN shared_phone_forms > 0 THEN 'shared_phone' END, CASE WHEN technician_phone_forms > 0 THEN 'technician_phone' END,
               CASE WHEN early_submission_forms > 0 THEN 'early_submission' END, CASE WHEN burst_forms > 0 THEN 'burst' END,
               CASE WHEN all_max THEN 'all_max' END, CASE WHEN replaced_drop_forms > 0 THEN 'replaced_drop' END,
               CASE WHEN prior_findings_strength > 0 THEN 'prior_findings' END], x -> x IS NOT NULL) AS signals
FROM b
