/**
 * The working calendar (SPEC §5): GET /api/calendar (the listed dates of a year and its working
 * days per month) and POST /api/calendar (rows ingested as one calendar batch).
 */
import type { BatchSummary, RejectRow } from './ingestion.ts';

/** A listed date: a public holiday (节假日) or a 调休 make-up working day (调休上班). */
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

export interface CalendarYear {
  year: number;
  days: CalendarDay[];
  /** Empty until the models are built. */
  months: CalendarMonth[];
}

/** A row of POST /api/calendar. */
export interface CalendarRow {
  date: string;
  day_type: string;
  name?: string | null;
}

export interface CalendarImport {
  batch: BatchSummary;
  /** Rows the pipeline refused: line_no counts the header as line 1, so row i of the request is line i + 2. */
  rejects: RejectRow[];
  refreshed_months: string[];
}
