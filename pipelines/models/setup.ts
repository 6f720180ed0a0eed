/**
 * Reference data the warehouse needs before its first model build: the shipped working calendar
 * (data/calendar/*.csv, Chinese public holidays and 调休 make-up days), loaded through the normal
 * ingestion pipeline when the calendar is empty. Later years are imported the same way
 * (`ingest calendar <file>`), because the State Council publishes them year by year.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';
import { ingestFile } from '../ingest/ingest.ts';

export const CALENDAR_DIR = join(PROJECT_ROOT, 'data', 'calendar');

export async function ensureReferenceData(wh: Warehouse): Promise<void> {
  const { n } = (await wh.one<{ n: number }>('SELECT count(*) AS n FROM calendar'))!;
  if (n > 0) return;
  for (const f of readdirSync(CALENDAR_DIR).filter((f) => f.endsWith('.csv')).sort()) {
    await ingestFile(wh, 'calendar', join(CALENDAR_DIR, f), { uploadedBy: 'setup' });
  }
}
