-- 012 · Fraud-risk tuning (issue 12 acceptance, bench:fraud). See docs/models.md, "Fraud risk".

-- Earlier findings (prior_findings) weigh most on the forms most like those found forged: a form of a
-- source (on_site / online / phone) none of the technician's fraudulent findings had counts half.
-- `sources`: the sources of the forms found fraudulent ('' unknown); an empty list (no fraudulent
-- finding, or only corrected ones) or an unknown source on either side is no evidence: 1.
CREATE MACRO prior_findings_source_factor(sources, source) AS
  CASE WHEN len(sources) = 0 OR coalesce(source, '') = '' OR list_contains(sources, '') OR list_contains(sources, source)
       THEN 1.0 ELSE 0.5 END;

-- ---------------------------------------------------------------------------------------------
-- Default weights, tuned on generated data with the fraud model (npm run bench:fraud, seeds 1–3;
-- checked on 4–6). Only the default version (in force from the beginning of time) changes, and
-- only where it still holds 011's value: a version an admin made, or a value an admin set, stays.
--   risk_weight_all_max 0.3 → 0.1: alone, an all-maximum share far above the team's is mostly an
--     excellent technician (the benchmark's honest look-alike: 80 % all-maximum against 40 %, p far
--     below 0.001 at a few hundred forms); with another signal it still adds.
--   risk_weight_replaced_drop 0.5 → 0.4: customers do change their minds; the weekly list then
--     calls the forgers' riskier forms before an honest technician's one contradicted form.
UPDATE policy_version SET risk_weight_all_max = 0.1
WHERE effective_from = DATE '2000-01-01' AND risk_weight_all_max = 0.3;
UPDATE policy_version SET risk_weight_replaced_drop = 0.4
WHERE effective_from = DATE '2000-01-01' AND risk_weight_replaced_drop = 0.5;
ALTER TABLE policy_version ALTER COLUMN risk_weight_all_max SET DEFAULT 0.1;
ALTER TABLE policy_version ALTER COLUMN risk_weight_replaced_drop SET DEFAULT 0.4;
