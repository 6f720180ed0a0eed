/**
 * Fraud model of the demo data (`fraud: true`): a few technicians fill in customer feedback forms
 * themselves, each in a style of their own, and honest look-alikes that a naive rule would accuse
 * (SPEC §4.7). This file plans who does what (small, in JS, from the seeded hash), and writes the
 * ground truth to `<out>/truth/`, which no ingest path reads. The SQL lives in fraud.sql.ts.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE_PREFIXES } from './pools.ts';
import { lit, type Rng } from './random.ts';
import type { Team, Technician } from './reference.ts';
import { customerSql } from './customers.sql.ts';

/** How a forger works; each forger has exactly one. */
export const FRAUD_STYLES = ['own_phone', 'relative_phone', 'rushed', 'burst', 'replaced', 'careful'] as const;
export type FraudStyle = (typeof FRAUD_STYLES)[number];

/** What one forged form looks like (forged-forms.csv `pattern`). */
export const FRAUD_PATTERNS = [
  'own_phone', 'relative_phone', 'before_completion', 'minutes_after', 'max_burst', 'replaced_by_phone', 'careful',
] as const;
export type FraudPattern = (typeof FRAUD_PATTERNS)[number];

export const LOOK_ALIKE_KINDS = ['fleet_phone', 'excellent_technician', 'onsite_station', 'multi_vehicle_visit'] as const;

export interface Forger {
  technician_id: string;
  team_id: string;
  style: FraudStyle;
  /** Share of the forger's completed tickets whose form is forged (phone styles: carry the phone). */
  share: number;
  /** The number written as contact_phone (own_phone: the technician's 手机号; relative_phone: a relative's). */
  phone: string | null;
}

export interface Fleet {
  /** Customer index (customer_id C0000001 is index 0). */
  cust: number;
  vehicles: number;
}

export interface FraudPlan {
  forgers: Forger[];
  /** technician_id of the genuinely excellent (honest) technician. */
  excellent: string;
  /** team_idx of the station whose customers fill on-site forms within minutes. */
  onsiteTeamIdx: number;
  /** Filled by pickFleets once the generator's DuckDB is up. */
  fleets: Fleet[];
  /** Share of all tickets going to each fleet customer. */
  fleetShare: number;
  /** Probability that a ticket starts a multi-vehicle visit (1–3 more vehicles follow). */
  visitRate: number;
  /** Ratings boost of the excellent technician (latent level, feedback.sql.ts scale). */
  excellentBoost: number;
}

/** Forms a forger forges, as a share of all the company's forms (6 forgers → ≈ 1.3 %). */
const PER_FORGER_SHARE = 0.0022;
const SHARE_RANGE: Record<FraudStyle, readonly [number, number]> = {
  own_phone: [0.12, 0.55],
  relative_phone: [0.12, 0.55],
  rushed: [0.12, 0.55],
  burst: [0.12, 0.55],
  replaced: [0.12, 0.55],
  careful: [0.25, 0.4],
};
const FLEETS = 3;

export function makeFraudPlan(rng: Rng, teams: Team[], techs: Technician[], tickets: number): FraudPlan {
  const totalWeight = teams.reduce((s, t) => s + t.weight, 0);
  const onsiteTeamIdx = rng.jsInt(0, 'fraud.onsite', teams.length);
  // forgers in different teams (wrapping round only with fewer than 7 teams), none in the on-site station
  const others = teams
    .filter((t) => t.idx !== onsiteTeamIdx)
    .sort((a, b) => rng.js(a.idx, 'fraud.team.order') - rng.js(b.idx, 'fraud.team.order'));
  const taken = new Set<string>();
  const pickTech = (team: Team, k: number, field: string): Technician => {
    const pool = techs.filter((t) => t.teamIdx === team.idx && t.active && !taken.has(t.technician_id));
    const t = rng.jsPick(k, field, pool.length ? pool : techs.filter((x) => x.active && !taken.has(x.technician_id)));
    taken.add(t.technician_id);
    return t;
  };
  const forgers = FRAUD_STYLES.map((style, k): Forger => {
    const tech = pickTech(others[k % others.length] as Team, k, 'fraud.forger');
    const team = teams[tech.teamIdx] as Team;
    const mates = techs.filter((t) => t.teamIdx === team.idx).length;
    const techShare = team.weight / totalWeight / mates;
    const [lo, hi] = SHARE_RANGE[style];
    const share = Math.round(Math.min(hi, Math.max(lo, PER_FORGER_SHARE / techShare)) * 1000) / 1000;
    const phone =
      style === 'own_phone' ? tech.phone : style === 'relative_phone' ? relativePhone(rng, k) : null;
    return { technician_id: tech.technician_id, team_id: team.team_id, style, share, phone };
  });
  const excellentTeam = others[FRAUD_STYLES.length % others.length] as Team;
  const excellent = pickTech(excellentTeam, 0, 'fraud.excellent').technician_id;
  return {
    forgers,
    excellent,
    onsiteTeamIdx,
    fleets: [],
    // ~150 tickets per fleet at least (0.2 % of all from 75 k tickets up), at most 1 % of all
    fleetShare: Math.min(0.01, Math.max(0.002, 150 / tickets)),
    visitRate: 0.003,
    excellentBoost: 0.15,
  };
}

function relativePhone(rng: Rng, k: number): string {
  const prefix = rng.jsPick(k, 'fraud.relative.prefix', PHONE_PREFIXES);
  return `1${prefix}${String(rng.jsInt(k, 'fraud.relative.digits', 100_000_000)).padStart(8, '0')}`;
}

/**
 * Fleet customers (车队): companies with a phone, chosen among the ordinary customers by hash, each
 * then given a share of all tickets and a hundred-odd vehicles.
 */
export async function pickFleets(conn: DuckDBConnection, rng: Rng, customers: number, plan: FraudPlan): Promise<void> {
  const h = 'hash(c)';
  const r = await conn.runAndReadAll(`SELECT c FROM range(${customers}) r(c)
    WHERE ${rng.u('c.company', h)} < 0.6 AND ${rng.u('c.nophone', h)} >= 0.02
    ORDER BY ${rng.u('fraud.fleet.pick', h)}, c LIMIT ${FLEETS}`);
  plan.fleets = r.getRows().map((row, k) => ({ cust: Number(row[0]), vehicles: 80 + rng.jsInt(k, 'fraud.fleet.vehicles', 160) }));
}

export const TRUTH_DIR = 'truth';
export const TRUTH_FILES = { forged: 'forged-forms.csv', lookAlikes: 'look-alikes.csv', forgers: 'forgers.csv' } as const;

/** Look-alikes read from `tk` (visit tickets), so call before the ticket table is dropped. */
export async function writeLookAlikes(conn: DuckDBConnection, rng: Rng, teams: Team[], plan: FraudPlan, out: string): Promise<void> {
  const dir = join(out, TRUTH_DIR);
  mkdirSync(dir, { recursive: true });
  const phone = customerSql(rng, teams, 'hash(c)', '0').phone;
  const team = teams[plan.onsiteTeamIdx] as Team;
  const custs = plan.fleets.length ? plan.fleets.map((f) => `(${f.cust})`).join(', ') : '(NULL)';
  await conn.run(`COPY (SELECT kind, id FROM (
      SELECT 1 AS o, 'fleet_phone' AS kind, ${phone} AS id FROM (VALUES ${custs}) v(c) WHERE c IS NOT NULL
      UNION ALL SELECT 2, 'excellent_technician', ${lit(plan.excellent)}
      UNION ALL SELECT 3, 'onsite_station', ${lit(team.team_id)}
      UNION ALL SELECT 4, 'multi_vehicle_visit', ticket_id FROM tk WHERE visit_of IS NOT NULL
    ) ORDER BY o, id) TO ${lit(join(dir, TRUTH_FILES.lookAlikes))} (FORMAT CSV, HEADER)`);
}

/** forged-forms.csv from the feedback table as generated (so it lists exactly the forms written). */
export async function writeForgedForms(conn: DuckDBConnection, plan: FraudPlan, out: string): Promise<void> {
  const dir = join(out, TRUTH_DIR);
  mkdirSync(dir, { recursive: true });
  await conn.run(`COPY (SELECT form_id, ticket_id, technician_id, pattern FROM fb WHERE pattern IS NOT NULL ORDER BY form_id)
    TO ${lit(join(dir, TRUTH_FILES.forged))} (FORMAT CSV, HEADER)`);
  const lines = ['technician_id,style', ...plan.forgers.map((f) => `${f.technician_id},${f.style}`)];
  writeFileSync(join(dir, TRUTH_FILES.forgers), `${lines.join('\n')}\n`, 'utf8');
}
