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
import { writeAudit } from '../assessment/audit.ts';
import { ingestFile, type BatchSummary } from '../ingest/ingest.ts';
import { refreshModels } from '../models/refresh.ts';
import { PROJECT_ROOT, type Warehouse } from '../warehouse/warehouse.ts';

const CALENDAR_MONTHS = readFileSync(join(PROJECT_ROOT, 'sql', 'policy', 'calendar_months.sql'), 'utf8');

export interface CalendarDay {
  date: string;
  day_type: string;
  name: string | null;
  batch_id: number;
}

export interface CalendarMonth {
  month: string;
  days: number;
  working_days: number;
  rest_days: number;
  holidays: number;
  makeup_workdays: number;
}

export async function getCalendar(wh: Warehouse, year: number): Promise<{ year: number; days: CalendarDay[]; months: CalendarMonth[] }> {
  const days = await wh.all<CalendarDay>(
    `SELECT strftime(date, '%Y-%m-%d') AS date, day_type, name, batch_id FROM calendar WHERE year(date) = $1 ORDER BY date`,
    [year],
  );
  const built = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'dim_date' AND NOT temporary`);
  const months = built!.n ? await wh.all<CalendarMonth>(CALENDAR_MONTHS, [year]) : [];
  return { year, days, months };
}

export interface CalendarRow {
  date: string;
  day_type: string;
  name?: string | null;
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

export interface CalendarImport {
  batch: BatchSummary;
  /** Rows the pipeline refused: line_no counts the header as line 1, so row i of the request is line i + 2. */
  rejects: { line_no: number; reasons: { column: string; code: string; message: string }[] }[];
  refreshed_months: string[];
}

/** Ingests the rows as one calendar batch, audits it (action calendar.import), refreshes the models. */
export async function importCalendarRows(wh: Warehouse, rows: CalendarRow[], by: string): Promise<CalendarImport> {
  const dir = mkdtempSync(join(tmpdir(), 'aftersales-calendar-'));
  try {
    const file = join(dir, 'calendar.csv');
    writeFileSync(file, calendarCsv(rows, `${by} ${new Date().toISOString()} ${randomBytes(4).toString('hex')}`));
    const batch = await ingestFile(wh, 'calendar', file, { uploadedBy: by, fileName: 'calendar (dashboard edit).csv' });
    await writeAudit(wh, {
      actor: by, action: 'calendar.import', target: String(batch.batch_id),
      detail: { rows: batch.rows, accepted: batch.accepted, rejected: batch.rejected, duplicate: batch.duplicate, dates: rows.map((r) => r.date) },
    });
    const rejects = await wh.all<{ line_no: number; reasons: { column: string; code: string; message: string }[] }>(
      'SELECT line_no, reasons FROM rejects WHERE batch_id = $1 ORDER BY line_no', [batch.batch_id],
    );
    const report = batch.duplicate ? { months: [] as string[] } : await refreshModels(wh);
    return { batch, rejects, refreshed_months: report.months };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
