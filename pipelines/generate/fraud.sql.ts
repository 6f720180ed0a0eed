/**
 * SQL of the fraud model (fraud.ts plans it). Everything is a pure function of the row hashes, so
 * the ticket file (a forger's phone as contact_phone) and the feedback file (the forged form)
 * agree without a join, and the same seed gives the same files.
 *
 * Kept apart from tickets/feedback/verifications.sql.ts so that with the model off those files'
 * SQL is exactly what it was (byte-identical output).
 */
import type { Period } from './calendar.ts';
import type { FraudPlan, FraudStyle } from './fraud.ts';
import { lit, pick, type Rng } from './random.ts';

const PHONE_STYLES: ReadonlySet<FraudStyle> = new Set(['own_phone', 'relative_phone']);

/** SQL: a visit "leader candidate" (pure hash), also used to keep followers out of repeat bases. */
export function visitLeadSql(rng: Rng, plan: FraudPlan, h: string): string {
  return `(${rng.u('fraud.visit', h)} < ${plan.visitRate})`;
}

/** tickets.sql.ts step d: a repeat never names a ticket that may become a visit follower. */
export function repeatBaseGuardSql(rng: Rng, plan: FraudPlan, base: string): string {
  return [1, 2, 3].map((d) => `NOT ${visitLeadSql(rng, plan, `hash(${base} - ${d})`)}`).join(' AND ');
}

/**
 * tickets.sql.ts final select: the visit-leader flag as a column, so that visitsSql's scan of `tk`
 * filters on it in the scan and reads the wide columns of the few candidates only.
 */
export function visitColumnsSql(rng: Rng, plan: FraudPlan): string {
  return `${visitLeadSql(rng, plan, 'hi')} AS visit_lead, NULL::BIGINT AS visit_of`;
}

/**
 * tickets.sql.ts step f: the customer index from the customer uniform `u`, the bottom of its range
 * going to the fleets (the ordinary customers whose index falls there simply never call: one hash
 * fewer per ticket than a draw of its own).
 */
export function customerIndexSql(plan: FraudPlan, u: string, customers: number): string {
  const ordinary = `floor(${u} * ${customers})::BIGINT`;
  if (!plan.fleets.length) return ordinary;
  const share = plan.fleetShare * plan.fleets.length;
  const list = `[${plan.fleets.map((f) => f.cust).join(', ')}]`;
  return `CASE WHEN ${u} < ${share} THEN list_extract(${list}, 1 + floor(${u} / ${share} * ${plan.fleets.length})::BIGINT)
    ELSE ${ordinary} END`;
}

/** tickets.sql.ts final select: how many vehicles the customer has (fleets: a hundred or more). */
export function vehiclesSql(plan: FraudPlan, ordinary: string): string {
  if (!plan.fleets.length) return ordinary;
  return `CASE cust ${plan.fleets.map((f) => `WHEN ${f.cust} THEN ${f.vehicles}`).join(' ')} ELSE ${ordinary} END`;
}

/**
 * SQL: the forger style when this ticket's form is forged, else NULL. Only the "whether" — whether
 * a form exists at all is feedback.sql.ts's coverage draw.
 */
export function forgedStyleSql(rng: Rng, plan: FraudPlan, tech = 'technician_id', h = 'hi'): string {
  const u = rng.u('fraud.forge', h);
  return `(CASE ${tech} ${plan.forgers
    .map((f) => `WHEN ${lit(f.technician_id)} THEN CASE WHEN ${u} < ${f.share} THEN ${lit(f.style)} END`)
    .join(' ')} END)`;
}

/** ticketsOutput: contact_phone, the forger's (or a relative's) number on the tickets they forge. */
export function contactPhoneSql(rng: Rng, plan: FraudPlan, ordinary: string): string {
  const u = rng.u('fraud.forge');
  const whens = plan.forgers
    .filter((f) => PHONE_STYLES.has(f.style) && f.phone)
    .map((f) => `WHEN technician_id = ${lit(f.technician_id)} AND ${u} < ${f.share} THEN ${lit(f.phone ?? '')}`);
  return whens.length ? `(CASE WHEN completed_at IS NULL THEN ${ordinary} ${whens.join(' ')} ELSE ${ordinary} END)` : ordinary;
}

/** What a visit's follower tickets copy from its leader: one customer, call, technician and trip. */
const VISIT_SHARED = [
  'cust', 'hc', 'team_idx', 'technician_id', 'reported_at', 'channel', 'customer_type', 'service_type', 'fault_category',
  'distance_km', 'needs_supplier', 'rule', 'late', 'dispatched_at', 'first_response_at', 'arrived_at', 'followup_at',
];

/**
 * Multi-vehicle visits: a leader ticket of a company customer and the next 1–3 consecutive tickets
 * of the same day (up to the first one that cannot join) become one visit — same customer,
 * technician, call and arrival, completed minutes apart, each on another vehicle. Rewritten in
 * place (UPDATE keeps `tk`'s order); followers are never repeat tickets nor repeat bases.
 */
export function visitsSql(rng: Rng, plan: FraudPlan, p: Period): string[] {
  const forgers = plan.forgers.map((f) => lit(f.technician_id)).join(', ');
  const fleets = plan.fleets.map((f) => f.cust).join(', ') || '-1';
  const shared = VISIT_SHARED.map((c) => `${c} = v.${c}`).join(', ');
  return [
    `CREATE OR REPLACE TEMP TABLE vis AS
WITH l0 AS MATERIALIZED (
  -- the flag alone first: the other conditions would have every row's wide columns read
  SELECT i, hi, ${VISIT_SHARED.join(', ')}, completed_at, vehicle, repeat_of FROM tk WHERE visit_lead
), l AS (
  SELECT i AS li, ${VISIT_SHARED.join(', ')}, completed_at AS l_comp, vehicle AS l_veh,
    1 + floor(3 * ${rng.u('fraud.visit.n')})::INTEGER AS m
  FROM l0
  WHERE completed_at IS NOT NULL AND repeat_of IS NULL
    AND technician_id NOT IN (${forgers}) AND cust NOT IN (${fleets}) AND ${rng.u('c.company', 'hc')} < 0.6
    AND completed_at + INTERVAL 90 MINUTE < TIMESTAMP '${p.asOf}'
), f AS (
  SELECT l.*, l.li + r.d AS fi, r.d FROM l, range(1, l.m + 1) r(d)
), fr AS (
  SELECT i, hi, completed_at IS NOT NULL AND repeat_of IS NULL AND NOT visit_lead AS ok, reported_at::DATE AS day
  FROM tk WHERE i IN (SELECT fi FROM f)
), run AS (
  SELECT f.*, fr.hi AS fh,
    bool_and(fr.ok AND fr.day = f.reported_at::DATE) OVER (PARTITION BY f.li ORDER BY f.d ROWS UNBOUNDED PRECEDING) AS keep
  FROM f JOIN fr ON fr.i = f.fi
)
SELECT * EXCLUDE (fh, m, keep), (d * (4 + floor(8 * ${rng.u('fraud.visit.gap', 'fh')})))::BIGINT AS gap
FROM run WHERE keep ORDER BY fi`,
    `UPDATE tk SET ${shared}, completed_at = v.l_comp + to_minutes(v.gap), vehicle = (v.l_veh + v.d) % 5, visit_of = v.li
FROM vis v WHERE tk.i = v.fi`,
    `UPDATE tk SET visit_of = i WHERE i IN (SELECT li FROM vis)`,
    `DROP TABLE vis`,
  ];
}

/** The pieces feedback.sql.ts splices in when the model is on (each takes the honest expression). */
export interface FeedbackFraud {
  /** Extra columns of `base` (from tk). */
  baseCols: string;
  /** Extra condition for a form to exist: every visit ticket has one. */
  has: (honest: string) => string;
  source: (honest: string) => string;
  /** Extra f1 columns (rushed: before completion or not; replaced: the phone re-rating's time). */
  f1Cols: string;
  submitted: (honest: string) => string;
  /** Condition for a second form (the replaced style's re-rating, else the honest draw). */
  second: (honest: string) => string;
  secondSubmitted: (honest: string) => string;
  /** Added to the latent level `s`. */
  level: string;
  /** Grade of item `k` (t, q, a) of a form. */
  grade: (k: string, honest: string) => string;
  /** Extra columns of `fb` (the random spot-check sample needs the job's completion). */
  finalCols: string;
  pattern: string;
}

export function feedbackFraud(rng: Rng, plan: FraudPlan, p: Period): FeedbackFraud {
  const U = (f: string, h = 'hi') => rng.u(f, h);
  const asOf = `TIMESTAMP '${p.asOf}'`;
  const forged1 = `(fz IS NOT NULL AND version = 1)`;
  const week = `date_trunc('week', completed_at)`;
  return {
    baseCols: `, tk.visit_of, ${forgedStyleSql(rng, plan, 'tk.technician_id', 'tk.hi')} AS fz`,
    has: (honest) => `(${honest} OR tk.visit_of IS NOT NULL)`,
    source: (honest) => `CASE fz WHEN 'own_phone' THEN 'phone' WHEN 'relative_phone' THEN 'phone'
      WHEN 'rushed' THEN 'on_site' WHEN 'replaced' THEN 'on_site' WHEN 'burst' THEN 'online'
      ELSE CASE WHEN visit_of IS NOT NULL THEN 'on_site'
        WHEN team_idx = ${plan.onsiteTeamIdx} THEN ${pick(U('fraud.onsite.source'), [["'on_site'", 0.9], ["'phone'", 0.07], ["'online'", 0.03]])}
        ELSE ${honest} END END`,
    f1Cols: `, CASE WHEN fz = 'rushed' THEN ${U('fraud.before')} < 0.4 END AS fz_before,
      CASE WHEN fz = 'replaced' AND ${U('fraud.replaced')} < 0.6 THEN coalesce(followup_at, date_trunc('day', completed_at)
        + to_days((1 + floor(3 * ${U('fraud.replaced.day')}))::INTEGER) + to_minutes((540 + floor(540 * ${U('fraud.replaced.min')}))::BIGINT)) END AS fz_rep`,
    // rushed: filled before the job was done, or in the minutes after; burst: a week's forms typed
    // in one evening session, in job order, minutes apart; replaced: on site right after the job
    submitted: (honest) => `CASE
      WHEN fz = 'rushed' THEN CASE WHEN fz_before
        THEN completed_at - to_minutes((3 + floor(23 * ${U('fraud.sub')}))::BIGINT)
        ELSE completed_at + to_minutes(floor(4 * ${U('fraud.sub')})::BIGINT) END
      WHEN fz = 'burst' THEN ${week} + INTERVAL 7 DAY
        + to_minutes((1140 + floor(60 * ${U('fraud.session', `hash(datediff('day', DATE '2000-01-03', ${week}))`)}))::BIGINT)
        + to_minutes((datediff('minute', ${week}, completed_at) // 250)::BIGINT)
      WHEN fz = 'replaced' THEN completed_at + to_minutes((2 + floor(14 * ${U('fraud.sub')}))::BIGINT)
      WHEN source1 = 'on_site' AND (visit_of IS NOT NULL OR team_idx = ${plan.onsiteTeamIdx})
        THEN completed_at + to_minutes((1 + floor(10 * ${U('fraud.onsite.sub')}))::BIGINT)
      ELSE ${honest} END`,
    second: (honest) => `CASE WHEN fz IS NOT NULL THEN fz_rep IS NOT NULL ELSE ${honest} END`,
    secondSubmitted: (honest) => `coalesce(fz_rep, ${honest})`,
    level: `+ CASE WHEN technician_id = ${lit(plan.excellent)} THEN ${plan.excellentBoost} ELSE 0 END
      - CASE WHEN version = 2 AND fz_rep IS NOT NULL THEN 0.35 ELSE 0 END`,
    grade: (k, honest) => `CASE WHEN fz IS NULL THEN ${honest}
      WHEN ${forged1} AND fz IN ('rushed', 'burst', 'replaced') THEN 0
      WHEN ${forged1} AND fz = 'careful' THEN CASE WHEN ${U(`fraud.g${k}`, 'hf')} < 0.82 THEN 0 ELSE 1 END
      WHEN ${forged1} THEN CASE WHEN ${U(`fraud.g${k}`, 'hf')} < 0.93 THEN 0 ELSE 1 END
      WHEN version = 2 AND fz_rep IS NOT NULL THEN greatest(1, ${honest})
      ELSE ${honest} END`,
    finalCols: ', completed_at',
    pattern: `CASE WHEN ${forged1} THEN CASE fz
      WHEN 'rushed' THEN CASE WHEN fz_before THEN 'before_completion' ELSE 'minutes_after' END
      WHEN 'burst' THEN 'max_burst'
      WHEN 'replaced' THEN CASE WHEN fz_rep < ${asOf} THEN 'replaced_by_phone' ELSE 'minutes_after' END
      ELSE fz END END`,
  };
}

/** The default policy's spot_check_rate (sql/migrations/004_policy.sql). */
export const SPOT_CHECK_RATE = 0.05;

/**
 * verifications.sql.ts: the checks are the product's random queue (sql/spotcheck/queue.sql): per
 * team and ISO week of the job's completion, the first ceil(rate × forms) current forms in
 * md5(form_id || '|' || week) order — unbiased, and what the ingester derives as `random` for a
 * file without a queue column. A forged form is found 虚假, an honest one never.
 */
export function verificationFraud(rng: Rng): { sample: string; outcome: string; note: (honest: string) => string } {
  const U = (f: string) => rng.u(f, 'hf');
  return {
    // Exactly that sample, cheaper: md5 is uniform, so when a team-week has at least k forms whose
    // md5 starts below '26' (~15 %), its k smallest are among them and only those are ranked.
    sample: `(SELECT * FROM fb WHERE form_id IN (
      WITH cur AS (
        SELECT form_id, team_idx, date_trunc('week', completed_at)::DATE AS ws FROM fb
        WHERE version = 2 OR ticket_id NOT IN (SELECT ticket_id FROM fb WHERE version = 2)
      ), lab AS (
        SELECT ws, strftime(ws, '%G-W%V') AS wk FROM (SELECT DISTINCT ws FROM cur)
      ), h AS (
        SELECT cur.*, md5(cur.form_id || '|' || lab.wk) AS h FROM cur JOIN lab USING (ws)
      ), part AS (
        SELECT team_idx, ws, ceil(round(${SPOT_CHECK_RATE}::DOUBLE * count(*), 9)) AS k, count(*) FILTER (h < '26') AS c
        FROM h GROUP BY team_idx, ws
      )
      SELECT h.form_id FROM h JOIN part USING (team_idx, ws) WHERE h.h < '26' OR part.c < part.k
      QUALIFY row_number() OVER (PARTITION BY h.team_idx, h.ws ORDER BY h.h, h.form_id) <= part.k))`,
    outcome: `CASE WHEN pattern IS NOT NULL THEN 'fraudulent'
      ELSE ${pick(U('vf.outcome'), [["'confirmed'", 0.82], ["'corrected'", 0.09], ["'unreachable'", 0.09]])} END`,
    // what the supervisor finds when dialling a forger's number instead of the customer's
    note: (honest) => `CASE pattern WHEN 'own_phone' THEN '联系电话为服务人员本人手机号，客户本人未接到回访'
      WHEN 'relative_phone' THEN '联系电话非客户本人，客户表示未接到回访' ELSE ${honest} END`,
  };
}
