/**
 * `--dirty`: rows appended to the generated files that each rejection rule of SPEC §2/§3 catches,
 * plus rows with an unknown team/technician that are accepted with a warning. Each dirty row is
 * a copy of a valid row of the same file (the template) with exactly one defect, so it is
 * rejected for exactly one reason. The list is written to `dirty-expected.json` for tests.
 */
import { KINDS, type KindName } from '../ingest/kinds.ts';
import { fileColumns, formatTs, parseTs, type TsStyle } from './formats.ts';

/** Reason codes (the ingester's codes may differ; `column` says which value is wrong). */
export type DirtyReason =
  | 'missing_required'
  | 'bad_timestamp'
  | 'bad_date'
  | 'bad_number'
  | 'bad_enum'
  | 'negative_number'
  | 'negative_money'
  | 'event_before_reported'
  | 'event_before_received'
  | 'completed_when_cancelled'
  | 'bad_grade'
  | 'corrected_without_grades'
  | 'wrong_column_count'
  | 'duplicate_key'
  | 'unknown_reference';

export interface DirtyRow {
  /** 1-based line (CSV) or row (XLSX) number in the file; the header is line 1. */
  line: number;
  /** The row's key as written (joined with '|' for composite keys), null when missing. */
  key: string | null;
  /** reject: the ingester must reject the row; warning: accept it with a warning. */
  expect: 'reject' | 'warning';
  reason: DirtyReason;
  column: string | null;
  note: string;
}

export interface DirtyFile {
  kind: KindName;
  file: string;
  added: number;
  rejected: number;
  warnings: number;
  rows: DirtyRow[];
  /** Why no dirty rows were added, when none were. */
  note?: string;
}

export type Values = Record<string, string | null>;

interface Spec {
  reason: DirtyReason;
  column: string | null;
  expect?: 'reject' | 'warning';
  note: string;
  /** Changes the copy of the template (which already has a fresh key). */
  mutate: (r: Values, template: Values) => void;
  /** Keep the template's key (duplicate rows). */
  keepKey?: boolean;
  /** Write only the first n values (wrong column count). */
  truncate?: number;
}

function shift(v: string | null, minutes: number, style: TsStyle): string {
  if (!v) throw new Error('dirty template lacks a timestamp');
  return formatTs(parseTs(v) + minutes * 60_000, style);
}

const missing = (col: string): Spec => ({
  reason: 'missing_required',
  column: col,
  note: `${col} is empty`,
  mutate: (r) => {
    r[col] = null;
  },
});
const set = (reason: DirtyReason, col: string, value: string, note: string, expect: 'reject' | 'warning' = 'reject'): Spec => ({
  reason,
  column: col,
  expect,
  note,
  mutate: (r) => {
    r[col] = value;
  },
});
const duplicate = (col: string, value: string): Spec => ({
  reason: 'duplicate_key',
  column: null,
  keepKey: true,
  note: `same key as an earlier row of the file, different ${col}`,
  mutate: (r) => {
    r[col] = value;
  },
});
const short: Spec = {
  reason: 'wrong_column_count',
  column: null,
  truncate: 5,
  note: 'line has 5 fields instead of the header count',
  mutate: () => undefined,
};

const SPECS: Record<Exclude<KindName, 'calendar'>, Spec[]> = {
  teams: [missing('team_id'), duplicate('manager_name', '临时负责人')],
  technicians: [
    missing('technician_id'),
    set('bad_date', 'hired_on', '入职三年', 'hired_on is not a date'),
    duplicate('name', '重复人员'),
    set('unknown_reference', 'team_id', 'T99', 'team T99 does not exist', 'warning'),
  ],
  tickets: [
    missing('ticket_id'),
    missing('reported_at'),
    set('bad_timestamp', 'completed_at', '2025-13-45 25:61:00', 'completed_at is not a timestamp'),
    set('bad_number', 'distance_km', '12公里', 'distance_km is not a plain number'),
    set('bad_enum', 'channel', '传真', 'channel 传真 is not a ticket channel'),
    set('negative_number', 'distance_km', '-5.0', 'distance_km is negative'),
    set('negative_money', 'parts_cost', '-120.00', 'parts_cost is negative'),
    {
      reason: 'event_before_reported',
      column: 'first_response_at',
      note: 'first_response_at 2 h before reported_at',
      mutate: (r) => {
        r.first_response_at = shift(r.reported_at ?? null, -120, 'iso');
      },
    },
    {
      reason: 'event_before_reported',
      column: 'arrived_at',
      note: 'arrived_at 1 h before reported_at',
      mutate: (r) => {
        r.arrived_at = shift(r.reported_at ?? null, -60, 'iso');
      },
    },
    {
      reason: 'event_before_reported',
      column: 'completed_at',
      note: 'completed_at 30 min before reported_at',
      mutate: (r) => {
        r.completed_at = shift(r.reported_at ?? null, -30, 'iso');
      },
    },
    set('completed_when_cancelled', 'result', '已取消', 'cancelled ticket with a completed_at'),
    short,
    duplicate('customer_name', '重复工单客户'),
    set('unknown_reference', 'team_id', 'T99', 'team T99 does not exist', 'warning'),
    set('unknown_reference', 'technician_id', 'E9999', 'technician E9999 does not exist', 'warning'),
  ],
  feedback: [
    missing('form_id'),
    missing('ticket_id'),
    set('bad_grade', 'quality', 'F', 'quality grade F is not A..E'),
    missing('attitude'),
    set('bad_enum', 'source', 'fax', 'source fax is not a feedback source'),
    set('bad_timestamp', 'submitted_at', '昨天下午', 'submitted_at is not a timestamp'),
    short,
    duplicate('comment', '重复提交'),
  ],
  complaints: [
    missing('complaint_id'),
    missing('received_at'),
    set('bad_enum', 'category', '产品外观', 'category 产品外观 is not a complaint category'),
    set('bad_timestamp', 'responded_at', '尽快', 'responded_at is not a timestamp'),
    {
      reason: 'event_before_received',
      column: 'responded_at',
      note: 'responded_at 1 h before received_at',
      mutate: (r) => {
        r.responded_at = shift(r.received_at ?? null, -60, 'chinese');
      },
    },
    short,
    duplicate('description', '重复登记'),
    set('unknown_reference', 'team_id', 'T99', 'team T99 does not exist', 'warning'),
    set('unknown_reference', 'technician_id', 'E9999', 'technician E9999 does not exist', 'warning'),
  ],
  verifications: [
    missing('form_id'),
    missing('verified_at'),
    {
      reason: 'corrected_without_grades',
      column: 'outcome',
      note: '更正 without corrected grades',
      mutate: (r) => {
        r.outcome = '更正';
        r.timeliness = null;
        r.quality = null;
        r.attitude = null;
      },
    },
    {
      reason: 'bad_grade',
      column: 'timeliness',
      note: 'timeliness grade G is not A..E',
      mutate: (r) => {
        r.outcome = '更正';
        r.timeliness = 'G';
        r.quality = 'B';
        r.attitude = 'B';
      },
    },
    set('bad_enum', 'outcome', '不确定', 'outcome 不确定 is not a verification outcome'),
    duplicate('note', '重复录入'),
  ],
  adjustments: [
    missing('technician_id'),
    missing('month'),
    set('bad_number', 'amount', '五百元', 'amount is not a number'),
    duplicate('approved_by', '重复审批'),
    set('unknown_reference', 'technician_id', 'E9999', 'technician E9999 does not exist', 'warning'),
  ],
};

/**
 * Builds the dirty rows of one file. `freshKey(n)` gives the n-th new key values (by column id)
 * that collide with nothing in the file; `firstLine` is the line number of the first dirty row.
 */
export function buildDirty(
  kind: Exclude<KindName, 'calendar'>,
  file: string,
  template: Values,
  freshKey: (n: number) => Values,
  firstLine: number,
): { lines: Array<Array<string | null>>; meta: DirtyFile } {
  const cols = fileColumns(kind).map((c) => c.id);
  const keyCols = KINDS[kind].key;
  const lines: Array<Array<string | null>> = [];
  const rows: DirtyRow[] = [];
  SPECS[kind].forEach((spec, n) => {
    const r: Values = { ...template };
    if (!spec.keepKey) Object.assign(r, freshKey(n));
    spec.mutate(r, template);
    const values = cols.map((c) => r[c] ?? null);
    lines.push(spec.truncate ? values.slice(0, spec.truncate) : values);
    const keyParts = keyCols.map((c) => r[c] ?? null);
    rows.push({
      line: firstLine + n,
      key: keyParts.some((k) => k === null) ? null : keyParts.join('|'),
      expect: spec.expect ?? 'reject',
      reason: spec.reason,
      column: spec.column,
      note: spec.note,
    });
  });
  return {
    lines,
    meta: {
      kind,
      file,
      added: rows.length,
      rejected: rows.filter((r) => r.expect === 'reject').length,
      warnings: rows.filter((r) => r.expect === 'warning').length,
      rows,
    },
  };
}
