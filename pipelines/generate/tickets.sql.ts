/**
 * Tickets (报修工单): the calendar cells (day × hour with a ticket count each), the internal
 * `tk` table with typed values, and the SELECT that formats it as the department's export.
 *
 * Ticket i (0-based, chronological) is generated from `hash(i)` only. A ticket's customer comes
 * from a hash; a repeat ticket (返修) picks an earlier ticket of some earlier day and takes its
 * customer, vehicle and fault, so `repeat_of` names an earlier ticket of the same customer
 * without any self-join. The customer decides the team (its region) and the distance.
 *
 * Event delays are drawn so that a share of tickets breaks the SLA rules of SPEC §4.1 — the
 * share depends on the team, the month (a hashed per-team-month factor), Spring Festival, the
 * distance and the fault category. Every event after the data's as-of time is left empty, so
 * the newest tickets are still open (pending).
 *
 * With the fraud model (`ctx.fraud`, fraud.sql.ts) a few fleet customers take a share of the
 * tickets, and a visit-leader flag is kept for the multi-vehicle visits made afterwards.
 */
import type { Period } from './calendar.ts';
import type { FraudPlan } from './fraud.ts';
import { contactPhoneSql, customerIndexSql, repeatBaseGuardSql, vehiclesSql, visitColumnsSql } from './fraud.sql.ts';
import { boolSql, labelSql, moneySql, type Output } from './formats.ts';
import { PRODUCT_MODELS } from './pools.ts';
import { pick, pickList, type Rng } from './random.ts';
import { customerSql, teamAttr } from './customers.sql.ts';
import type { Team } from './reference.ts';

export interface TicketCtx {
  rng: Rng;
  p: Period;
  tickets: number;
  customers: number;
  teams: Team[];
  /** The fraud model's plan (fleet customers, visit followers kept out of repeat bases). */
  fraud?: FraudPlan;
}

/** `cells`: one row per (day, hour) with its ticket count `cnt` and first ticket index `i0`. */
export function cellsSql(tickets: number): string {
  return `CREATE OR REPLACE TABLE cells AS
WITH c AS (
  SELECT d.day, h.hour, d.fest, d.mi, (d.weight * h.hw)::BIGINT AS w FROM days d, hours h
), c2 AS (
  SELECT *, sum(w) OVER (ORDER BY day, hour ROWS UNBOUNDED PRECEDING)::HUGEINT AS cum, sum(w) OVER ()::HUGEINT AS total FROM c
), c3 AS (
  SELECT day, hour, fest, mi,
    ((${tickets}::HUGEINT * cum) // total - (${tickets}::HUGEINT * (cum - w)) // total)::BIGINT AS cnt,
    ((${tickets}::HUGEINT * (cum - w)) // total)::BIGINT AS i0
  FROM c2
)
SELECT *, min(i0) OVER (PARTITION BY day) AS day_i0, 'BX' || strftime(day, '%Y%m%d') AS prefix FROM c3`;
}

/** `dayidx`: per day, its first ticket index and ticket count (to name earlier tickets). */
export const DAYIDX_SQL = `CREATE OR REPLACE TABLE dayidx AS
SELECT day, min(i0) AS i0, sum(cnt)::BIGINT AS cnt, min(prefix) AS prefix FROM cells GROUP BY day`;

/** SQL: the ticket number from the day's prefix (BXyyyymmdd) and the daily sequence (1-based). */
function ticketIdSql(prefix: string, seq: string, width: number): string {
  return `(${prefix} || lpad((${seq})::VARCHAR, ${width}, '0'))`;
}

export function ticketsTableSql(ctx: TicketCtx, idWidth: number): string {
  const { rng, p, fraud } = ctx;
  const U = (f: string, h = 'hi') => rng.u(f, h);
  const asOf = `TIMESTAMP '${p.asOf}'`;
  const last3 = `(DATE '${p.asOf.slice(0, 10)}' - 3)`;
  const teamCase = pick(
    'u_team',
    ctx.teams.map((t) => [String(t.idx), t.weight] as const),
  );
  const customerIdx = `floor(${U('t.customer', 'hv')} * ${ctx.customers})::BIGINT`;
  const vehicles = `CASE WHEN ${U('c.company', 'hc')} < 0.6 THEN 5 ELSE 1 END`;
  const at = (m: string) => `CASE WHEN ${m} IS NOT NULL AND reported_at + to_minutes((${m})::BIGINT) < ${asOf} THEN reported_at + to_minutes((${m})::BIGINT) END`;
  return `CREATE OR REPLACE TABLE tk AS
WITH a AS (
  SELECT c.day, c.hour, c.fest, c.mi, c.cnt, c.day_i0, c.prefix, c.i0 + r.k AS i, r.k, hash(c.i0 + r.k) AS hi
  FROM cells c, range(c.cnt) r(k)
), b AS (
  SELECT a.*,
    a.day::TIMESTAMP + to_hours(a.hour) + to_minutes(floor((a.k + ${U('t.minute')}) * 60 / a.cnt)::BIGINT) AS reported_at,
    CASE WHEN ${U('t.repeat')} < 0.03 THEN 1 + floor(40 * pow(${U('t.repeat.off')}, 1.6))::INTEGER END AS rep_off,
    ${U('t.repeat.pick')} AS rep_pick
  FROM a
), c AS (
  SELECT b.*, d.prefix AS base_prefix, d.i0 AS base_i0,
    CASE WHEN d.cnt > 0 THEN d.i0 + floor(b.rep_pick * d.cnt)::BIGINT END AS base_raw
  FROM b LEFT JOIN dayidx d ON d.day = b.day - b.rep_off
), d AS (
  -- a repeat only names a ticket that was not cancelled and is not a repeat itself (so the
  -- base's customer is the one derived from its own hash)
  SELECT * EXCLUDE (base_raw),
    CASE WHEN base_raw IS NOT NULL AND ${U('t.result', 'hash(base_raw)')} >= 0.02
      AND ${U('t.repeat', 'hash(base_raw)')} >= 0.03 THEN ${fraud ? `CASE WHEN ${repeatBaseGuardSql(rng, fraud, 'base_raw')} THEN base_raw END` : 'base_raw'} END AS base_i
  FROM c
), e AS (
  -- hv: the "visit" hash: the base ticket's for a repeat, so customer, vehicle and fault match
  SELECT *, CASE WHEN base_i IS NULL THEN hi ELSE hash(base_i) END AS hv FROM d
), f AS (
  SELECT *, ${fraud ? customerIndexSql(fraud, U('t.customer', 'hv'), ctx.customers) : customerIdx} AS cust FROM e
), g AS (
  SELECT *, hash(cust) AS hc FROM f
), h AS (
  SELECT *,
    ${U('c.team', 'hc')} AS u_team,
    ${U('c.type', 'hc')} AS u_ctype,
    ${U('c.dist', 'hc')} AS u_dist, ${U('c.dist2', 'hc')} AS u_dist2,
    ${U('t.fault', 'hv')} AS u_fault,
    ${U('t.vehicle', 'hv')} AS u_veh,
    ${U('t.channel')} AS u_ch, ${U('t.service')} AS u_svc, ${U('t.supplier')} AS u_sup,
    ${U('t.distknown')} AS u_dk, ${U('t.result')} AS u_res, ${U('t.tech')} AS u_tech
  FROM g
), i1 AS (
  SELECT *,
    ${teamCase}::INTEGER AS team_idx,
    ${pick('u_ctype', [["'in_warranty'", 0.45], ["'annual_contract'", 0.2], ["'per_visit_contract'", 0.1], ["'out_of_warranty'", 0.25]])} AS customer_type,
    ${pick('u_fault', [["'body'", 0.45], ["'chassis_engine'", 0.32], ["'other'", 0.23]])} AS fault_category,
    ${pick('u_ch', [["'phone'", 0.5], ["'wechat'", 0.22], ["'online'", 0.15], ["'visit'", 0.07], ["'email'", 0.06]])} AS channel,
    CASE WHEN u_dk < 0.04 THEN NULL ELSE round(CASE
      WHEN u_dist < 0.62 THEN 0.5 + 59.5 * u_dist2
      WHEN u_dist < 0.84 THEN 60 + 90 * u_dist2
      WHEN u_dist < 0.97 THEN 150 + 150 * u_dist2
      ELSE 300 + 500 * u_dist2 END, 1)::DECIMAL(8,1) END AS distance_km,
    ${pick('u_res', [["'cancelled'", 0.02], ["'needs_return'", 0.04], ["'replaced'", 0.03], ["'completed'", 0.91]])} AS result0
  FROM h
), j AS (
  SELECT i1.*,
    CASE customer_type
      WHEN 'in_warranty' THEN CASE WHEN u_svc < 0.92 THEN 'free' ELSE 'paid' END
      WHEN 'annual_contract' THEN CASE WHEN u_svc < 0.95 THEN 'contract' ELSE 'paid' END
      WHEN 'per_visit_contract' THEN CASE WHEN u_svc < 0.9 THEN 'contract' ELSE 'paid' END
      ELSE CASE WHEN u_svc < 0.97 THEN 'paid' ELSE 'free' END END AS service_type,
    u_sup < CASE fault_category WHEN 'chassis_engine' THEN 0.12 WHEN 'body' THEN 0.04 ELSE 0.03 END AS needs_supplier,
    floor(u_tech * tm.n_tech)::INTEGER AS slot,
    tm.late_base
      * (0.6 + 0.8 * ${U('tm.late', 'hash(i1.team_idx * 100000 + i1.mi)')})
      * CASE WHEN fest THEN 2.0 ELSE 1.0 END AS p_late
  FROM i1 JOIN tm ON tm.team_idx = i1.team_idx
), k AS (
  SELECT *,
    CASE WHEN fault_category = 'chassis_engine' THEN 1
         WHEN distance_km > 100 OR needs_supplier THEN 2
         WHEN distance_km <= 100 THEN 3 ELSE 4 END AS rule
  FROM j
), l AS (
  SELECT *,
    ${U('t.resp.late')} < p_late * CASE rule WHEN 3 THEN 0.3 ELSE 1.1 END AS resp_late,
    ${U('t.arr.late')} < p_late * CASE rule WHEN 3 THEN 0.7 + 0.6 * distance_km::DOUBLE / 100 WHEN 4 THEN 1.0 ELSE 0.5 END AS arr_late,
    3 + floor(100 * pow(${U('t.disp')}, 2)) AS disp_m
  FROM k
), m AS (
  SELECT *,
    CASE WHEN resp_late THEN 726 + floor(1800 * pow(${U('t.resp')}, 1.6))
         WHEN ${U('t.resp.exact')} < 0.003 THEN 720
         ELSE 5 + floor(600 * pow(${U('t.resp')}, 2.2)) END AS resp_m
  FROM l
), n AS (
  SELECT *,
    greatest(resp_m + 15, disp_m + 15, CASE
      WHEN distance_km IS NULL THEN CASE
        WHEN arr_late THEN 2886 + floor(2400 * pow(${U('t.arr')}, 1.5))
        WHEN ${U('t.arr.exact')} < 0.003 THEN 2880
        ELSE least(2874, resp_m + 60 + floor(2200 * pow(${U('t.arr')}, 1.5))) END
      WHEN distance_km <= 100 THEN CASE
        WHEN arr_late THEN 1446 + floor(2400 * pow(${U('t.arr')}, 1.5))
        WHEN ${U('t.arr.exact')} < 0.003 THEN 1440
        ELSE least(1434, resp_m + 20 + floor(distance_km::DOUBLE * 1.2) + floor(900 * pow(${U('t.arr')}, 1.7))) END
      ELSE resp_m + 120 + floor(distance_km::DOUBLE * 1.1) + floor(1800 * ${U('t.arr')}) END) AS arr_m,
    CASE fault_category
      WHEN 'body' THEN 60 + floor(420 * ${U('t.work')})
      WHEN 'chassis_engine' THEN 120 + floor(1680 * pow(${U('t.work')}, 1.5))
      ELSE 30 + floor(270 * ${U('t.work')}) END
      + CASE WHEN result0 = 'replaced' THEN 240 + floor(2640 * ${U('t.work.replace')}) ELSE 0 END AS work_m
  FROM m
), o AS (
  SELECT *,
    arr_m + work_m
      + CASE WHEN needs_supplier THEN 1440 + floor(4320 * ${U('t.supplier.wait')}) ELSE 0 END
      + CASE WHEN day >= ${last3} AND ${U('t.open')} < 0.35 THEN 5760 ELSE 0 END AS comp_m,
    CASE WHEN result0 <> 'cancelled' OR ${U('t.cx.disp')} < 0.6 THEN disp_m END AS disp_x,
    CASE WHEN result0 <> 'cancelled' OR ${U('t.cx.resp')} < 0.85 THEN resp_m END AS resp_x,
    CASE WHEN result0 <> 'cancelled' OR ${U('t.cx.arr')} < 0.25 THEN arr_m END AS arr_x
  FROM n
), q AS (
  SELECT *,
    ${at('disp_x')} AS dispatched_at,
    ${at('resp_x')} AS first_response_at,
    ${at('arr_x')} AS arrived_at,
    CASE WHEN result0 <> 'cancelled' THEN ${at('comp_m')} END AS completed_at
  FROM o
), r AS (
  SELECT q.*,
    CASE WHEN completed_at IS NOT NULL OR result0 = 'cancelled' THEN result0 END AS result,
    CASE WHEN dispatched_at IS NULL THEN NULL
         WHEN NOT te.active AND q.mi >= te.left_month THEN te.replacement
         ELSE te.technician_id END AS technician_id
  FROM q JOIN te ON te.team_idx = q.team_idx AND te.slot = q.slot
)
SELECT
  i, hi, hc, cust, team_idx, mi, rule,
  ${ticketIdSql('prefix', 'i - day_i0 + 1', idWidth)} AS ticket_id,
  CASE WHEN base_i IS NOT NULL THEN ${ticketIdSql('base_prefix', 'base_i - base_i0 + 1', idWidth)} END AS repeat_of,
  reported_at, channel, customer_type, service_type, fault_category, distance_km, needs_supplier,
  floor(u_veh * ${fraud ? vehiclesSql(fraud, vehicles) : vehicles})::INTEGER AS vehicle,
  technician_id, dispatched_at, first_response_at, arrived_at, completed_at, result,
  -- costs: only for work done (travel also for a cancelled ticket someone drove to)
  CASE WHEN completed_at IS NOT NULL THEN round(CASE
      WHEN result = 'replaced' THEN 2000 + 18000 * pow(${U('t.parts')}, 2)
      WHEN ${U('t.parts.none')} < 0.3 THEN 0
      ELSE 20 + 2500 * pow(${U('t.parts')}, 2.5) END, 2)::DECIMAL(14,2) END AS parts_cost,
  CASE WHEN completed_at IS NOT NULL THEN
    (round(greatest(1, work_m / 60) * (80 + 40 * ${U('t.labor')}) * 2) / 2)::DECIMAL(14,2) END AS labor_cost,
  CASE WHEN completed_at IS NOT NULL OR arrived_at IS NOT NULL THEN round(CASE
      WHEN distance_km IS NULL THEN 50 + 250 * ${U('t.travel')}
      ELSE distance_km::DOUBLE * 2.4 * (0.9 + 0.2 * ${U('t.travel')}) END, 2)::DECIMAL(14,2) END AS travel_cost,
  CASE WHEN completed_at IS NOT NULL THEN ${U('t.fee')} END AS u_fee,
  CASE WHEN completed_at IS NOT NULL AND ${U('t.followup')} < 0.85 AND
      date_trunc('day', completed_at) + to_days(1 + floor(9 * pow(${U('t.followup.day')}, 1.4))::INTEGER)
        + to_minutes(540 + floor(540 * ${U('t.followup.min')})::BIGINT) < ${asOf}
    THEN date_trunc('day', completed_at) + to_days(1 + floor(9 * pow(${U('t.followup.day')}, 1.4))::INTEGER)
        + to_minutes(540 + floor(540 * ${U('t.followup.min')})::BIGINT) END AS followup_at,
  -- SLA outcome of a ticket whose events are all known (used to shape feedback and complaints)
  CASE rule WHEN 3 THEN arr_m > 1440 WHEN 4 THEN resp_m > 720 OR arr_m > 2880 ELSE resp_m > 720 END AS late${fraud ? `,
  ${visitColumnsSql(rng, fraud)}` : ''}
FROM r
ORDER BY i`;
}

/** The formatted export: Chinese headers and labels, 是/否, `2025-05-03 14:20:00`. */
export function ticketsOutput(rng: Rng, teams: Team[], fraud?: FraudPlan): Output {
  const cust = customerSql(rng, teams);
  // CAST(ts AS VARCHAR) is exactly `2025-05-03 14:20:00` for whole seconds, and faster than strftime
  const ts = (c: string) => `(${c})::VARCHAR`;
  const vh = `hash(xor(hc, vehicle::UBIGINT))`;
  const fee = `CASE WHEN u_fee IS NULL THEN NULL
      WHEN service_type = 'paid' THEN round(parts_cost + labor_cost + travel_cost, 0)
      WHEN customer_type = 'per_visit_contract' THEN ${pick('u_fee', [['300', 1], ['500', 1], ['800', 1]])}
      -- 违规收费: 1.5 % of free-service jobs charge a fee anyway (50–190 yuan), a fee anomaly (SPEC §4)
      WHEN service_type = 'free' AND u_fee < 0.015 THEN CAST(50 + 10 * floor(u_fee * 1000) AS INTEGER)
      ELSE 0 END`;
  return {
    kind: 'tickets',
    header: 'label',
    from: 'FROM tk',
    exprs: {
    ticket_id: 'ticket_id',
    reported_at: ts('reported_at'),
    channel: labelSql('ticket_channel', 'channel'),
    customer_id: `'C' || lpad((cust + 1)::VARCHAR, 7, '0')`,
    customer_name: cust.name,
    contact_phone: fraud ? contactPhoneSql(rng, fraud, cust.phone) : cust.phone,
    address: cust.address,
    region: teamAttr(teams, 'region'),
    customer_type: labelSql('customer_type', 'customer_type'),
    service_type: labelSql('service_type', 'service_type'),
    product_model: pickList(rng.u('v.model', vh), PRODUCT_MODELS),
    serial_no: `'LHQ' || lpad((${rng.bits('v.serial', vh)} % 100000000000000)::VARCHAR, 14, '0')`,
    fault_category: labelSql('fault_category', 'fault_category'),
    distance_km: 'distance_km::VARCHAR',
    needs_supplier: boolSql('needs_supplier'),
    team_id: teamAttr(teams, 'team_id'),
    technician_id: 'technician_id',
    dispatched_at: ts('dispatched_at'),
    first_response_at: ts('first_response_at'),
    arrived_at: ts('arrived_at'),
    completed_at: ts('completed_at'),
    result: labelSql('ticket_result', 'result'),
    repeat_of: 'repeat_of',
    parts_cost: moneySql('parts_cost'),
    labor_cost: moneySql('labor_cost'),
    travel_cost: moneySql('travel_cost'),
    fee_charged: moneySql(fee),
    followup_at: ts('followup_at'),
    },
  };
}

