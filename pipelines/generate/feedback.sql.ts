/**
 * Feedback forms (顾客意见反馈表): most but not all completed tickets get one form, submitted after
 * completion; a small share gets a second form (a later re-rating) that replaces the first.
 *
 * Ratings come from a latent satisfaction level per team and per month of completion (a hashed
 * drift around the team's base level), so team mean scores rise in some months and fall in
 * others — both rewards and penalties occur (SPEC §4.3). Late tickets rate timeliness lower,
 * tickets that needed a return rate quality lower. Grades are letters A..E, a share of forms in
 * 优/良/中/差/很差; `overall` follows the score; dissatisfied forms list reasons.
 *
 * This file is the one with English column ids as header; `source` is written as English ids,
 * `overall` as Chinese labels.
 */
import type { Period } from './calendar.ts';
import type { FraudPlan } from './fraud.ts';
import { feedbackFraud } from './fraud.sql.ts';
import { labelSql, tsSql, type Output } from './formats.ts';
import { COMMENTS_BAD, COMMENTS_GOOD } from './pools.ts';
import { pick, pickList, type Rng } from './random.ts';

const GRADE = (v: string) =>
  `(CASE WHEN ${v} >= 0.60 THEN 0 WHEN ${v} >= 0.42 THEN 1 WHEN ${v} >= 0.28 THEN 2 WHEN ${v} >= 0.16 THEN 3 ELSE 4 END)`;

/** With `fraud`, the fraud model's forged forms and honest look-alikes (fraud.sql.ts) are spliced in. */
export function feedbackTableSql(rng: Rng, p: Period, fraud?: FraudPlan): string {
  const U = (f: string, h = 'hf') => rng.u(f, h);
  const asOf = `TIMESTAMP '${p.asOf}'`;
  const fz = fraud ? feedbackFraud(rng, fraud, p) : undefined;
  const has = `${rng.u('fb.has')} < tm.coverage`;
  const source = pick(rng.u('fb.source'), [["'on_site'", 0.5], ["'phone'", 0.35], ["'online'", 0.15]]);
  const sub = `CASE source1
      WHEN 'on_site' THEN completed_at + to_minutes((1 + floor(59 * ${rng.u('fb.sub')}))::BIGINT)
      WHEN 'phone' THEN coalesce(followup_at, date_trunc('day', completed_at)
        + to_days((1 + floor(6 * ${rng.u('fb.sub')}))::INTEGER) + to_minutes((540 + floor(540 * ${rng.u('fb.sub2')}))::BIGINT))
      ELSE completed_at + to_minutes((30 + floor(14400 * pow(${rng.u('fb.sub')}, 2)))::BIGINT) END`;
  const second = `${rng.u('fb.second')} < 0.015`;
  const secondSub = `sub1 + to_minutes((1440 + floor(5760 * ${rng.u('fb.second.sub')}))::BIGINT)`;
  const grades = {
    t: GRADE(`s + 0.3 * (${U('fb.gt')} - 0.5) - CASE WHEN late THEN 0.25 ELSE 0 END`),
    q: GRADE(`s + 0.3 * (${U('fb.gq')} - 0.5) - CASE WHEN result = 'needs_return' THEN 0.15 ELSE 0 END`),
    a: GRADE(`s + 0.3 * (${U('fb.ga')} - 0.5)`),
  };
  const grade = (k: keyof typeof grades) => (fz ? fz.grade(k, grades[k]) : grades[k]);
  return `CREATE OR REPLACE TABLE fb AS
WITH base AS (
  SELECT tk.i, tk.hi, tk.ticket_id, tk.team_idx, tk.technician_id, tk.completed_at, tk.followup_at, tk.late, tk.result,
    year(tk.completed_at) * 12 + month(tk.completed_at) AS cym, tm.quality${fz ? fz.baseCols : ''}
  FROM tk JOIN tm ON tm.team_idx = tk.team_idx
  WHERE tk.completed_at IS NOT NULL AND ${fz ? fz.has(has) : has}
), f1 AS (
  SELECT *,
    ${fz ? fz.source(source) : source} AS source1${fz ? fz.f1Cols : ''}
  FROM base
), f2 AS (
  SELECT *,
    ${fz ? fz.submitted(sub) : sub} AS sub1
  FROM f1
), forms AS (
  SELECT *, 1 AS version, hi AS hf, source1 AS source, sub1 AS submitted_at FROM f2
  UNION ALL
  SELECT *, 2 AS version, hash(hi) AS hf, 'phone' AS source,
    ${fz ? fz.secondSubmitted(secondSub) : secondSub} AS submitted_at
  FROM f2 WHERE ${fz ? fz.second(second) : second}
), lvl AS (
  SELECT *,
    quality + 0.12 * (${U('fb.teammonth', 'hash(team_idx * 100000 + cym)')} - 0.5)
      + 0.3 * (${U('fb.s')} - 0.5) - CASE WHEN version = 2 THEN 0.05 ELSE 0 END${fz ? fz.level : ''} AS s
  FROM forms WHERE submitted_at < ${asOf}
), gr AS (
  SELECT *,
    ${grade('t')} AS g_t,
    ${grade('q')} AS g_q,
    ${grade('a')} AS g_a
  FROM lvl
), sc AS (
  SELECT *, 6 - g_t - g_q - g_a AS score${fz ? `, ${fz.pattern} AS pattern` : ''} FROM gr
), ov AS (
  SELECT *,
    CASE WHEN ${U('fb.overall.none')} < 0.08 THEN NULL
         WHEN score >= 5 THEN 'very_satisfied' WHEN score >= 3 THEN 'satisfied'
         WHEN score >= 0 THEN 'neutral' ELSE 'dissatisfied' END AS overall
  FROM sc
)
SELECT i, version, team_idx, technician_id, ticket_id, cym, submitted_at, source, g_t, g_q, g_a, score, overall, hf,
  'F' || substr(ticket_id, 3) || CASE WHEN version = 2 THEN '-2' ELSE '' END AS form_id,
  CASE WHEN coalesce(overall IN ('neutral', 'dissatisfied'), score < 3) THEN nullif(concat_ws(
      ${pick(U('fb.reasons.sep'), [["'、'", 0.8], ["';'", 0.15], ["','", 0.05]])},
      CASE WHEN g_a >= 2 THEN '服务态度' END, CASE WHEN g_q >= 2 THEN '技术水平' END, CASE WHEN g_t >= 2 THEN '速度' END), '')
  END AS reasons,
  CASE WHEN ${U('fb.comment')} < 0.3 THEN CASE WHEN score >= 3
      THEN ${pickList(U('fb.comment.text'), COMMENTS_GOOD)} ELSE ${pickList(U('fb.comment.text'), COMMENTS_BAD)} END END AS comment,
  ${U('fb.words')} < 0.12 AS words${fz ? `,
  pattern${fz.finalCols}` : ''}
FROM ov
ORDER BY submitted_at, form_id`;
}

const LETTER = (g: string) => `list_extract(['A', 'B', 'C', 'D', 'E'], ${g} + 1)`;
const WORD = (g: string) => `list_extract(['优', '良', '中', '差', '很差'], ${g} + 1)`;

export function feedbackOutput(): Output {
  const grade = (g: string) => `CASE WHEN words THEN ${WORD(g)} ELSE ${LETTER(g)} END`;
  return {
    kind: 'feedback',
    header: 'id',
    from: 'FROM fb',
    exprs: {
    form_id: 'form_id',
    ticket_id: 'ticket_id',
    submitted_at: tsSql('submitted_at', 'slash'),
    timeliness: grade('g_t'),
    quality: grade('g_q'),
    attitude: grade('g_a'),
    overall: labelSql('overall', 'overall'),
    reasons: 'reasons',
    comment: 'comment',
    source: 'source',
    },
  };
}

