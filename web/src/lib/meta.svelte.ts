/** What the pickers offer (GET /api/meta): months with data, teams, regions, the data's as-of time. */
import type { Meta } from '$contract';
import { get } from './api';

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

/**
 * The month the dashboard's figures are about: the newest month with data, else (an empty
 * warehouse) this month in China.
 */
export function referenceMonth(): string {
  if (meta.data?.latest_month) return meta.data.latest_month;
  const d = new Date(Date.now() + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
