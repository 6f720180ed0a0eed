/**
 * Teams (服务站/班组) and technicians (售后服务人员): a dozen and a few hundred rows, generated
 * in JS from the seeded hash and loaded into the generator's DuckDB as small tables the ticket
 * SQL joins against. Each team also carries hidden "personality" parameters (how often it is
 * late, how well customers rate it, how often it is complained about) that shape its tickets.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { GIVEN_NAMES, STATIONS, SURNAMES, type Station } from './pools.ts';
import type { Period } from './calendar.ts';
import { lit, listLit, type Rng } from './random.ts';

export interface Team {
  idx: number;
  team_id: string;
  team_name: string;
  region: string;
  manager_name: string;
  station: Station;
  /** Share of the customer base. */
  weight: number;
  /** Base probability that a ticket event misses its SLA. */
  lateBase: number;
  /** Base customer rating level (0..1, higher is better). */
  quality: number;
  /** Share of completed tickets that get a feedback form. */
  coverage: number;
  /** Base probability that a completed ticket draws a complaint. */
  complaintBase: number;
}

export interface Technician {
  teamIdx: number;
  slot: number;
  technician_id: string;
  name: string;
  team_id: string;
  hired_on: string;
  active: boolean;
  /** 手机号 (PII): a mobile number, 13x/15x/18x and 8 digits. */
  phone: string;
  /** Month index from which an inactive technician no longer gets tickets. */
  leftMonth: number;
  /** technician_id that takes this one's tickets after leaving. */
  replacement: string;
}

export function personName(rng: Rng, index: number, field: string): string {
  return rng.jsPick(index, `${field}.sur`, SURNAMES) + rng.jsPick(index, `${field}.given`, GIVEN_NAMES);
}

export function makeTeams(rng: Rng): Team[] {
  const n = 6 + rng.jsInt(0, 'teams.n', 7);
  const regions = [...new Set(STATIONS.map((s) => s.region))].sort(
    (a, b) => rng.js(0, `region.${a}`) - rng.js(0, `region.${b}`),
  );
  const byRegion = regions.map((r) =>
    STATIONS.filter((s) => s.region === r).sort((a, b) => rng.js(0, `station.${a.name}`) - rng.js(0, `station.${b.name}`)),
  );
  const picked: Station[] = [];
  // Round robin over regions (at most 5 regions, so several teams share a region).
  const nRegions = Math.min(regions.length, 4 + rng.jsInt(0, 'teams.regions', 2));
  for (let round = 0; picked.length < n; round++) {
    for (let r = 0; r < nRegions && picked.length < n; r++) {
      const s = byRegion[r]?.[round];
      if (s) picked.push(s);
    }
  }
  const managers = new Set<string>();
  return picked.map((station, idx) => {
    let manager = '';
    for (let a = 0; !manager || managers.has(manager); a++) manager = personName(rng, idx * 100 + a, 'manager');
    managers.add(manager);
    return {
      idx,
      team_id: `T${String(idx + 1).padStart(2, '0')}`,
      team_name: station.name,
      region: station.region,
      manager_name: manager,
      station,
      weight: station.size * (0.8 + 0.4 * rng.js(idx, 'team.weight')),
      lateBase: 0.025 + 0.09 * rng.js(idx, 'team.late'),
      quality: 0.57 + 0.13 * rng.js(idx, 'team.quality'),
      coverage: 0.8 + 0.12 * rng.js(idx, 'team.coverage'),
      complaintBase: 0.008 + 0.03 * rng.js(idx, 'team.complaints'),
    };
  });
}

export function makeTechnicians(rng: Rng, teams: Team[], p: Period): Technician[] {
  const out: Technician[] = [];
  const names = new Set<string>(teams.map((t) => t.manager_name));
  const hireFrom = Date.parse('2008-01-01T00:00:00Z');
  const hireTo = Date.parse(`${p.startDate}T00:00:00Z`) - 60 * 86_400_000;
  for (const team of teams) {
    const n = 5 + rng.jsInt(team.idx, 'team.size', 11);
    const techs: Technician[] = [];
    for (let slot = 0; slot < n; slot++) {
      const key = team.idx * 100 + slot;
      let name = '';
      for (let a = 0; !name || names.has(name); a++) name = personName(rng, key * 100 + a, 'tech');
      names.add(name);
      const hired = new Date(hireFrom + Math.floor(rng.js(key, 'tech.hired') * (hireTo - hireFrom) / 86_400_000) * 86_400_000);
      const active = slot < 3 || rng.js(key, 'tech.active') >= 0.08;
      techs.push({
        teamIdx: team.idx,
        slot,
        technician_id: `E${String(team.idx + 1).padStart(2, '0')}${String(slot + 1).padStart(2, '0')}`,
        name,
        team_id: team.team_id,
        hired_on: hired.toISOString().slice(0, 10),
        active,
        phone: `1${['3', '5', '8'][rng.jsInt(key, 'tech.phone.prefix', 3)]}${rng.jsInt(key, 'tech.phone.d', 10)}${String(rng.jsInt(key, 'tech.phone', 100_000_000)).padStart(8, '0')}`,
        leftMonth: active ? p.months : Math.floor(p.months * (0.3 + 0.6 * rng.js(key, 'tech.left'))),
        replacement: '',
      });
    }
    out.push(...techs);
  }
  if (!out.some((t) => !t.active)) {
    // "a few inactive": make sure there is at least one.
    const last = out.filter((t) => t.teamIdx === 0).at(-1);
    if (last) {
      last.active = false;
      last.leftMonth = Math.floor(p.months / 2);
    }
  }
  for (const t of out) {
    const mates = out.filter((m) => m.teamIdx === t.teamIdx);
    let r = t;
    for (let k = 1; k <= mates.length && !r.active; k++) r = mates[(t.slot + k) % mates.length] as Technician;
    t.replacement = r.technician_id;
  }
  return out;
}

/** Loads teams `tm` and technicians `te` into the generator's DuckDB. */
export async function loadReference(conn: DuckDBConnection, teams: Team[], techs: Technician[]): Promise<void> {
  await conn.run(`CREATE OR REPLACE TABLE tm AS SELECT * FROM (VALUES ${teams
    .map(
      (t) =>
        `(${t.idx}, ${lit(t.team_id)}, ${lit(t.team_name)}, ${lit(t.region)}, ${lit(t.manager_name)}, ` +
        `${lit(t.station.city)}, ${lit(t.station.place)}, ${listLit(t.station.districts)}, ` +
        `${t.lateBase}, ${t.quality}, ${t.coverage}, ${t.complaintBase}, ` +
        `${techs.filter((x) => x.teamIdx === t.idx).length})`,
    )
    .join(', ')}) v(team_idx, team_id, team_name, region, manager_name, city, place, districts,
       late_base, quality, coverage, complaint_base, n_tech)`);
  await conn.run(`CREATE OR REPLACE TABLE te AS SELECT * FROM (VALUES ${techs
    .map(
      (t, k) =>
        `(${k}, ${t.teamIdx}, ${t.slot}, ${lit(t.technician_id)}, ${lit(t.name)}, ${t.active}, ${t.leftMonth}, ${lit(t.replacement)})`,
    )
    .join(', ')}) v(k, team_idx, slot, technician_id, name, active, left_month, replacement)`);
}
