/**
 * Who is who: technicians' and teams' names beside the ids of the bonus sheet (people read names,
 * payroll reads ids), and a technician's team for the server's manager scoping.
 */
import type { BonusPerson, NamedBonusPerson } from '../contract/assessment.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

/** technician_id → name. */
export async function technicianNames(wh: Warehouse): Promise<Map<string, string | null>> {
  return new Map((await wh.all<{ id: string; name: string | null }>('SELECT technician_id AS id, name FROM technicians')).map((r) => [r.id, r.name]));
}

/** The bonus sheet with each person's name and team name (extra fields beside SPEC §6's). */
export async function withNames<A extends { people: BonusPerson[] }>(wh: Warehouse, a: A): Promise<Omit<A, 'people'> & { people: NamedBonusPerson[] }> {
  const tech = await technicianNames(wh);
  const team = new Map((await wh.all<{ id: string; name: string | null }>('SELECT team_id AS id, team_name AS name FROM teams')).map((r) => [r.id, r.name]));
  return { ...a, people: a.people.map((p) => ({ ...p, name: tech.get(p.technician_id) ?? null, team_name: p.team_id ? team.get(p.team_id) ?? null : null })) };
}

/** A technician's team: null without one, undefined for an unknown technician. */
export async function technicianTeam(wh: Warehouse, technicianId: string): Promise<string | null | undefined> {
  const t = await wh.one<{ team_id: string | null }>('SELECT team_id FROM technicians WHERE technician_id = $1', [technicianId]);
  return t?.team_id;
}
