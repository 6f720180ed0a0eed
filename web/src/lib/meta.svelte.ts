/** What the pickers offer (GET /api/meta): months with data, teams, regions, the data's as-of time. */
import { get } from './api';

export interface Meta {
  as_of: string | null;
  latest_month: string | null;
  /** Months with data, newest first ('YYYY-MM'). */
  months: string[];
  teams: { team_id: string; team_name: string | null; region: string | null }[];
  regions: string[];
}

export const meta = $state<{ data: Meta | null }>({ data: null });

export async function loadMeta(): Promise<Meta> {
  const m = await get<Meta>('/api/meta');
  meta.data = m;
  return m;
}

export function teamName(id: string | null | undefined): string {
  if (!id) return '—';
  return meta.data?.teams.find((t) => t.team_id === id)?.team_name ?? id;
}
