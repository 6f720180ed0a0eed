/**
 * The working calendar (SPEC §5): the dates listed in `calendar` for a year (public holidays 节假日
 * and 调休 make-up working days 调休上班) and the working days per month on it (dim_date,
 * sql/policy/calendar_months.sql). Edits go through the ingestion pipeline as a `calendar` batch —
 * the rows are written to a temporary CSV and ingested, so validation, rejects, history and the
 * batch record are the pipeline's — then the models are refreshed (a calendar batch rebuilds all).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RejectRow } from '../contract/ingestion.ts';
import type { CalendarDay, CalendarImport, CalendarMonth, CalendarRow, CalendarYear } from '../contract/calendar.ts';
import { loadBatch } from '../load-batch.ts';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';

const CALENDAR_MONTHS = readFileSync(join(PROJECT_ROOT, 'sql', 'policy', 'calendar_months.sql'), 'utf8');

export async function getCalendar(wh: Warehouse, year: number): Promise<CalendarYear> {
  const days = await wh.all<CalendarDay>(
    `SELECT strftime(date, '%Y-%m-%d') AS date, day_type, name, batch_id FROM calendar WHERE year(date) = $1 ORDER BY date`,
    [year],
  );
  const built = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'dim_date' AND NOT temporary`);
  const months = built!.n ? await wh.all<CalendarMonth>(CALENDAR_MONTHS, [year]) : [];
  return { year, days, months };
}

/** One CSV field, quoted (the pipeline's reader takes RFC 4180 quoting). */
function field(v: string): string {
  return `"${v.replace(/"/g, '""')}"`;
}

/**
 * The rows as a calendar CSV. `edit` (an extra column, kept in the rows' `extra` JSON) makes every
 * edit a new file: otherwise re-sending rows identical to an earlier batch would be taken for a
 * duplicate of it and ignored, even when a later batch changed those dates in between.
 */
export function calendarCsv(rows: CalendarRow[], edit: string): string {
  return ['date,day_type,name,edit', ...rows.map((r) => [r.date, r.day_type, r.name ?? '', edit].map(field).join(','))].join('\n') + '\n';
}

/** Loads the rows as one calendar batch (pipelines/load-batch.ts): audited (action calendar.import), models refreshed. */
export async function importCalendarRows(wh: Warehouse, rows: CalendarRow[], by: string): Promise<CalendarImport> {
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-calendar-'));
  try {
    const file = join(dir, 'calendar.csv');
    writeFileSync(file, calendarCsv(rows, `${by} ${new Date().toISOString()} ${randomBytes(4).toString('hex')}`));
    const { summary: batch, refresh } = await loadBatch(wh, 'calendar', file, {
      by,
      fileName: 'calendar (dashboard edit).csv',
      audit: {
        action: 'calendar.import',
        stored: (b) => ({
          target: String(b.batch_id),
          detail: { rows: b.rows, accepted: b.accepted, rejected: b.rejected, duplicate: b.duplicate, dates: rows.map((r) => r.date) },
        }),
      },
    });
    const rejects = await wh.all<RejectRow>(
      'SELECT line_no, reasons FROM rejects WHERE batch_id = $1 ORDER BY line_no', [batch.batch_id],
    );
    return { batch, rejects, refreshed_months: refresh?.months ?? [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
