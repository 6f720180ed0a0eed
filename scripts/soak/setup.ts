/**
 * The soak's warehouse: generated files (pipelines/generate) loaded through the product's own use
 * case (loadBatch) and one full model build, in a temp folder. Not empty, so the server loads no
 * demo data; loaded by `soak-setup`, not `demo`, so the server creates only `admin` and the soak
 * creates the other users through the API.
 */
import { join } from 'node:path';
import { generate } from '../../pipelines/generate/generate.ts';
import { loadBatch, refreshModelsFor } from '../../pipelines/load-batch.ts';
import { Warehouse } from '../../pipelines/warehouse/warehouse.ts';

export interface SetupOptions {
  dir: string;
  months: number;
  tickets: number;
  seed: number;
  /** The last month generated, 'YYYY-MM'. */
  end: string;
}

/** What the load generators draw from: the warehouse's months, teams, technicians and some ticket ids. */
export interface Universe {
  dbPath: string;
  months: string[];
  teams: string[];
  /** Active technicians with their team. */
  technicians: { technician_id: string; team_id: string }[];
  /** Generated completed tickets (feedback and complaints may name them). */
  tickets: string[];
  batches: number;
  seconds: number;
}

export const SETUP_USER = 'soak-setup';

export async function buildWarehouse(o: SetupOptions): Promise<Universe> {
  const t0 = Date.now();
  const files = await generate({ out: join(o.dir, 'generated'), months: o.months, tickets: o.tickets, seed: o.seed, dirty: false, end: o.end });
  const dbPath = join(o.dir, 'soak.duckdb');
  const wh = await Warehouse.open(dbPath);
  try {
    for (const f of files) await loadBatch(wh, f.kind, f.file, { by: SETUP_USER, refresh: 'none' });
    await refreshModelsFor(wh, 'full');
    const months = (await wh.all<{ m: string }>(`SELECT DISTINCT strftime(reported_at, '%Y-%m') AS m FROM tickets ORDER BY m`)).map((r) => r.m);
    const teams = (await wh.all<{ team_id: string }>('SELECT team_id FROM teams ORDER BY team_id')).map((r) => r.team_id);
    const technicians = await wh.all<{ technician_id: string; team_id: string }>(
      'SELECT technician_id, team_id FROM technicians WHERE active AND team_id IS NOT NULL ORDER BY technician_id',
    );
    const tickets = (await wh.all<{ ticket_id: string }>(
      `SELECT ticket_id FROM tickets WHERE result = 'completed' ORDER BY hash(ticket_id) LIMIT 2000`,
    )).map((r) => r.ticket_id);
    const { n } = (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM batches WHERE status = 'committed'`))!;
    return { dbPath, months, teams, technicians, tickets, batches: n, seconds: (Date.now() - t0) / 1000 };
  } finally {
    wh.close(); // the server process owns the file while it runs
  }
}
