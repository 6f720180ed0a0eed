/**
 * Spot checks (抽查核实记录): supervisors phone a few percent of customers about their feedback
 * form (more often for perfect-score forms, which are the suspicious ones). Mostly 属实, some
 * 更正 with corrected (lower) grades, a few 虚假, some 联系不上. Chinese headers and labels.
 */
import type { Period } from './calendar.ts';
import type { FraudPlan } from './fraud.ts';
import { verificationFraud } from './fraud.sql.ts';
import { labelSql, tsSql, type Output } from './formats.ts';
import { SUPERVISORS, VERIFY_NOTES } from './pools.ts';
import { lit, pick, pickList, type Rng } from './random.ts';

/**
 * With `fraud` the checks are the product's random sample (an unbiased estimate of the
 * discrepancy rate, SPEC §4.7; fraud.sql.ts) and outcomes follow the truth: forged forms 虚假,
 * honest ones never.
 */
export function verificationsTableSql(rng: Rng, p: Period, fraud?: FraudPlan): string {
  const U = (f: string) => rng.u(f, 'hf');
  const asOf = `TIMESTAMP '${p.asOf}'`;
  const fz = fraud ? verificationFraud(rng) : undefined;
  const outcome = `CASE WHEN score = 6
      THEN ${pick(U('vf.outcome'), [["'confirmed'", 0.77], ["'corrected'", 0.08], ["'fraudulent'", 0.06], ["'unreachable'", 0.09]])}
      ELSE ${pick(U('vf.outcome'), [["'confirmed'", 0.8], ["'corrected'", 0.09], ["'fraudulent'", 0.02], ["'unreachable'", 0.09]])}
    END`;
  const has = `${U('vf.has')} < CASE WHEN score = 6 THEN 0.06 ELSE 0.025 END`;
  const note = `CASE outcome ${Object.entries(VERIFY_NOTES)
    .map(([k, arr]) => `WHEN ${lit(k)} THEN ${pickList(U('vf.note'), arr)}`)
    .join(' ')} END`;
  return `CREATE OR REPLACE TABLE vf AS
WITH s AS (
  SELECT fb.*,
    date_trunc('day', submitted_at) + to_days((1 + floor(14 * ${U('vf.day')}))::INTEGER)
      + to_minutes((540 + floor(510 * ${U('vf.min')}))::BIGINT) AS verified_at,
    ${fz ? fz.outcome : outcome} AS outcome
  FROM ${fz ? `${fz.sample} fb` : `fb
  WHERE ${has}`}
)
SELECT form_id, verified_at, outcome, submitted_at,
  ${pickList(U('vf.by'), SUPERVISORS)} AS verified_by,
  CASE WHEN outcome = 'corrected' THEN least(4, g_t + 1) END AS c_t,
  CASE WHEN outcome = 'corrected' THEN least(4, g_q + CASE WHEN ${U('vf.cq')} < 0.4 THEN 1 ELSE 0 END) END AS c_q,
  CASE WHEN outcome = 'corrected' THEN least(4, g_a + CASE WHEN ${U('vf.ca')} < 0.3 THEN 1 ELSE 0 END) END AS c_a,
  CASE WHEN outcome = 'confirmed' AND ${U('vf.nonote')} < 0.4 THEN NULL ELSE ${fz ? fz.note(note) : note} END AS note
FROM s
WHERE verified_at < ${asOf}
ORDER BY verified_at, form_id`;
}

const LETTER = (g: string) => `list_extract(['A', 'B', 'C', 'D', 'E'], ${g} + 1)`;

export function verificationsOutput(): Output {
  return {
    kind: 'verifications',
    header: 'label',
    from: 'FROM vf',
    exprs: {
    form_id: 'form_id',
    verified_at: tsSql('verified_at', 'minutes'),
    verified_by: 'verified_by',
    outcome: labelSql('verification_outcome', 'outcome'),
    timeliness: LETTER('c_t'),
    quality: LETTER('c_q'),
    attitude: LETTER('c_a'),
    note: 'note',
    },
  };
}
