-- mart_technician_forms_month · 服务人员月度风险底数 — per month, team, technician and form source
-- (team_id / technician_id / source '' for forms without one): the forms and what their own signals showed
-- (fct_form_risk), kept so the per-technician summary (mart_technician_risk_month, rebuilt whole
-- on every refresh) reads a few thousand rows instead of every form:
--   forms, forms_max         forms, and forms whose submitted grades make the maximum score (the
--                            all-maximum binomial test counts these, over a rolling window)
--   forms_max_unflagged      maximum-score forms without any form-level signal: the forms a
--                            technician's repeated pattern reaches (mart_technician_risk_month)
--   forms_flagged            forms with at least one form-level signal
--   <signal>_forms           forms on which each form-level signal fires
--   local_sum_max / local_max_max, local_sum_other / local_max_other
--                            the sum and the largest of the forms' local_score, apart for
--                            maximum-score forms and the others: the all-maximum signal applies
--                            to the former only, so the month's mean and largest combined score
--                            follow from these exactly (see mart_technician_risk_month; by source,
--                            because earlier findings weigh most on forms of the source found forged). Sums are
--                            decimals (12 places): a sum of doubles depends on the order the
--                            threads add them in, and a refresh must equal a full rebuild exactly.
-- Nothing here reads the as-of time: a month revisited only because the time moved keeps its rows.
-- materialized: incremental
-- as-of: independent
SELECT month, coalesce(team_id, '') AS team_id, coalesce(technician_id, '') AS technician_id, coalesce(source, '') AS source,
  count(*) AS forms,
  count(*) FILTER (WHERE submitted_max) AS forms_max,
  count(*) FILTER (WHERE submitted_max AND local_signals = 0) AS forms_max_unflagged,
  count(*) FILTER (WHERE local_signals > 0) AS forms_flagged,
  count(*) FILTER (WHERE shared_phone) AS shared_phone_forms,
  count(*) FILTER (WHERE technician_phone) AS technician_phone_forms,
  count(*) FILTER (WHERE early_submission) AS early_submission_forms,
  count(*) FILTER (WHERE burst) AS burst_forms,
  count(*) FILTER (WHERE replaced_drop) AS replaced_drop_forms,
  CAST(coalesce(sum(CAST(local_score AS DECIMAL(18,12))) FILTER (WHERE submitted_max), 0) AS DECIMAL(38,12)) AS local_sum_max,
  max(local_score) FILTER (WHERE submitted_max) AS local_max_max,
  CAST(coalesce(sum(CAST(local_score AS DECIMAL(18,12))) FILTER (WHERE NOT submitted_max), 0) AS DECIMAL(38,12)) AS local_sum_other,
  max(local_score) FILTER (WHERE NOT submitted_max) AS local_max_other
FROM fct_form_risk
WHERE month IN (SELECT month FROM refresh_months)
GROUP BY ALL
