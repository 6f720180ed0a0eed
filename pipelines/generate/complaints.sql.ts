/**
 * Complaints (投诉热线记录): a team-dependent 1–4 % of completed tickets draw a complaint (more for
 * late tickets and tickets that needed a return), plus a few complaints that name no ticket.
 * Categories follow what went wrong; `attributable` is mostly decided, but still 待定 for many
 * recent ones; most are answered within 24 h and resolved within a few days, some much later.
 * Written in Chinese labels with `2025年5月3日 14:20` timestamps and then transcoded to GB18030.
 */
import type { Period } from './calendar.ts';
import { labelSql, tsSql, type Output } from './formats.ts';
import { COMPLAINT_RESOLUTION, COMPLAINT_TEXT, SURNAMES, GIVEN_NAMES, PHONE_PREFIXES } from './pools.ts';
import { lit, pick, pickList, type Rng } from './random.ts';
import { customerSql } from './customers.sql.ts';
import type { Team } from './reference.ts';

export function complaintsTableSql(rng: Rng, p: Period, tickets: number, teams: Team[]): string {
  const U = (f: string, h = 'hi') => rng.u(f, h);
  const asOf = `TIMESTAMP '${p.asOf}'`;
  const start = `TIMESTAMP '${p.startDate} 00:00:00'`;
  const periodMinutes = `datediff('minute', ${start}, ${asOf})`;
  const orphans = Math.max(2, Math.round(tickets * 0.0006));
  const cust = customerSql(rng, teams, 'tk.hc', 'tk.team_idx');
  const textBy = (map: Record<string, string[]>, key: string, u: string) =>
    `CASE ${key} ${Object.entries(map)
      .map(([k, arr]) => `WHEN ${lit(k)} THEN ${pickList(u, arr)}`)
      .join(' ')} END`;
  return `CREATE OR REPLACE TABLE cp AS
WITH linked AS (
  SELECT tk.i, tk.hi, tk.ticket_id, tk.team_idx, tm.team_id, tk.technician_id, tk.late, tk.result,
    tk.completed_at + to_minutes((60 + floor(20000 * pow(${U('cp.delay')}, 2)))::BIGINT) AS received_at,
    ${cust.name} AS customer_name,
    ${cust.phone} AS contact_phone,
    ${U('cp.category')} AS u_cat, ${U('cp.link')} AS u_link, 0 AS src
  FROM tk JOIN tm ON tm.team_idx = tk.team_idx
  WHERE tk.completed_at IS NOT NULL
    AND ${U('cp.has')} < tm.complaint_base * CASE WHEN tk.late THEN 3 ELSE 1 END
      * CASE WHEN tk.result = 'needs_return' THEN 2.5 ELSE 1 END
), orphan AS (
  SELECT r.j AS i, hash(r.j + 1000000000000) AS hi, NULL AS ticket_id, NULL AS team_idx, NULL AS team_id,
    NULL AS technician_id, false AS late, NULL AS result,
    ${start} + to_minutes(floor(${U('cpo.at', 'hash(r.j + 1000000000000)')} * ${periodMinutes})::BIGINT) AS received_at,
    ${pickList(U('cpo.surname', 'hash(r.j + 1000000000000)'), SURNAMES)} || ${pickList(U('cpo.given', 'hash(r.j + 1000000000000)'), GIVEN_NAMES)} AS customer_name,
    '1' || ${pickList(U('cpo.phone', 'hash(r.j + 1000000000000)'), PHONE_PREFIXES)}
      || lpad((${rng.bits('cpo.digits', 'hash(r.j + 1000000000000)')} % 100000000)::VARCHAR, 8, '0') AS contact_phone,
    ${U('cpo.category', 'hash(r.j + 1000000000000)')} AS u_cat, 0.0 AS u_link, 1 AS src
  FROM range(${orphans}) r(j)
), allc AS (
  SELECT * FROM linked WHERE received_at < ${asOf}
  UNION ALL
  SELECT * FROM orphan
), cat AS (
  SELECT *,
    CASE WHEN late THEN ${pick('u_cat', [["'late_arrival'", 0.45], ["'no_communication'", 0.3], ["'attitude'", 0.1], ["'quality'", 0.08], ["'other'", 0.07]])}
      WHEN result = 'needs_return' THEN ${pick('u_cat', [["'quality'", 0.55], ["'attitude'", 0.15], ["'fee'", 0.1], ["'no_communication'", 0.1], ["'other'", 0.1]])}
      WHEN ticket_id IS NULL THEN ${pick('u_cat', [["'attitude'", 0.3], ["'fee'", 0.3], ["'other'", 0.4]])}
      ELSE ${pick('u_cat', [["'attitude'", 0.28], ["'quality'", 0.22], ["'no_communication'", 0.15], ["'fee'", 0.12], ["'goods_not_checked'", 0.1], ["'late_arrival'", 0.05], ["'other'", 0.08]])}
    END AS category,
    CASE WHEN received_at >= ${asOf} - INTERVAL 20 DAY
      THEN ${pick(U('cp.attr'), [["'pending'", 0.55], ["'yes'", 0.3], ["'no'", 0.15]])}
      ELSE ${pick(U('cp.attr'), [["'yes'", 0.62], ["'no'", 0.3], ["'pending'", 0.08]])} END AS attributable,
    ${pick(U('cp.severity'), [["'minor'", 0.65], ["'major'", 0.27], ["'severe'", 0.08]])} AS severity,
    ${pick(U('cp.channel'), [["'hotline'", 0.6], ["'survey'", 0.15], ["'online'", 0.12], ["'letter'", 0.07], ["'visit'", 0.06]])} AS channel,
    CASE WHEN ${U('cp.noresp')} < 0.02 THEN NULL
      WHEN ${U('cp.resp')} < 0.88 THEN received_at + to_minutes((12 + floor(1400 * pow(${U('cp.resp.m')}, 1.5)))::BIGINT)
      ELSE received_at + to_minutes((1445 + floor(4000 * ${U('cp.resp.m')}))::BIGINT) END AS responded0
  FROM allc
), res AS (
  SELECT *,
    CASE WHEN ${U('cp.unresolved')} < CASE WHEN attributable = 'pending' THEN 0.4 ELSE 0.05 END THEN NULL
      WHEN ${U('cp.resolve')} < 0.72 THEN coalesce(responded0, received_at) + to_minutes((240 + floor(3600 * ${U('cp.resolve.m')}))::BIGINT)
      ELSE coalesce(responded0, received_at) + to_minutes((4320 + floor(12000 * ${U('cp.resolve.m')}))::BIGINT) END AS resolved0
  FROM cat
), fin AS (
  SELECT *,
    CASE WHEN responded0 < ${asOf} THEN responded0 END AS responded_at,
    CASE WHEN resolved0 < ${asOf} THEN resolved0 END AS resolved_at
  FROM res
)
SELECT *,
  'TS' || strftime(received_at, '%Y%m')
    || lpad(row_number() OVER (PARTITION BY strftime(received_at, '%Y%m') ORDER BY received_at, src, i)::VARCHAR, 5, '0') AS complaint_id,
  CASE WHEN ticket_id IS NULL OR u_link < 0.3 THEN NULL ELSE team_id END AS team_out,
  CASE WHEN ticket_id IS NULL OR u_link < 0.4 THEN NULL ELSE technician_id END AS technician_out,
  CASE WHEN resolved_at IS NOT NULL THEN ${textBy(COMPLAINT_RESOLUTION, 'attributable', U('cp.resolution.text'))} END AS resolution,
  ${textBy(COMPLAINT_TEXT, 'category', U('cp.text'))} AS description
FROM fin
ORDER BY received_at, src, i`;
}

export function complaintsOutput(): Output {
  const ts = (c: string) => tsSql(c, 'chinese');
  return {
    kind: 'complaints',
    header: 'label',
    from: 'FROM cp',
    exprs: {
    complaint_id: 'complaint_id',
    received_at: ts('received_at'),
    channel: labelSql('complaint_channel', 'channel'),
    customer_name: 'customer_name',
    contact_phone: 'contact_phone',
    ticket_id: 'ticket_id',
    team_id: 'team_out',
    technician_id: 'technician_out',
    category: labelSql('complaint_category', 'category'),
    attributable: labelSql('attributable', 'attributable'),
    severity: labelSql('severity', 'severity'),
    responded_at: ts('responded_at'),
    resolved_at: ts('resolved_at'),
    resolution: 'resolution',
    description: 'description',
    },
  };
}
