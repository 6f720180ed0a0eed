/**
 * The drill-down lists (GET /api/tickets/late, /api/forms, /api/complaints) and one record with
 * its history (GET /api/records/:kind/:id): the sort keys each list allows (the server maps each
 * to its column beside the query, pipelines/reads/), the form filters, and the answers. Customer
 * fields are masked for roles that do not see PII (`pii_masked`).
 */

/** A sort value: the key ascending, or with a leading - descending. */
export type SortValue<K extends string> = K | `-${K}`;

/** Every sort value of a list: each key, ascending and descending. */
export function sortValues<K extends string>(keys: readonly K[]): SortValue<K>[] {
  return keys.flatMap((k): SortValue<K>[] => [k, `-${k}`]);
}

export const LATE_TICKET_SORT_KEYS = ['minutes_late', 'reported_at', 'ticket_id', 'team_id', 'technician_id'] as const;
export type LateTicketSortKey = (typeof LATE_TICKET_SORT_KEYS)[number];
/** Longest late first. */
export const LATE_TICKET_DEFAULT_SORT: SortValue<LateTicketSortKey> = '-minutes_late';

export const FORM_SORT_KEYS = ['score', 'submitted_at', 'form_id', 'ticket_id', 'team_id', 'technician_id'] as const;
export type FormSortKey = (typeof FORM_SORT_KEYS)[number];
/** Lowest score first. */
export const FORM_DEFAULT_SORT: SortValue<FormSortKey> = 'score';

export const COMPLAINT_SORT_KEYS = ['received_at', 'complaint_id', 'category', 'severity', 'team_id', 'technician_id'] as const;
export type ComplaintSortKey = (typeof COMPLAINT_SORT_KEYS)[number];
/** Newest first. */
export const COMPLAINT_DEFAULT_SORT: SortValue<ComplaintSortKey> = '-received_at';

/** low_score: counted forms at or below max_score (default: below the month's satisfied threshold); unverified: not spot-checked. */
export const FORM_FILTERS = ['low_score', 'unverified', 'all'] as const;
export type FormFilter = (typeof FORM_FILTERS)[number];

/** One page of a list. */
export interface ListPage<R> {
  month: string;
  page: number;
  page_size: number;
  /** Rows of the whole list, not of the page. */
  total: number;
  sort: string;
  pii_masked: boolean;
  rows: R[];
}

/** 超时工单 (fct_ticket_sla status late). Rows are type aliases, not interfaces, so they pass as plain records (Arrow IPC). */
export type LateTicketRow = {
  ticket_id: string;
  /** 'YYYY-MM-DD HH:MM:SS' */
  reported_at: string;
  team_id: string | null;
  team_name: string | null;
  technician_id: string | null;
  technician_name: string | null;
  rule_name: string | null;
  minutes_late: number | null;
  customer_name: string | null;
  contact_phone: string | null;
  address: string | null;
};

/** 反馈表 (fct_forms) with the ticket's customer. */
export type FormRow = {
  form_id: string;
  ticket_id: string;
  /** The month of the form's job. */
  month: string;
  team_id: string | null;
  team_name: string | null;
  technician_id: string | null;
  technician_name: string | null;
  submitted_at: string | null;
  source: string | null;
  timeliness: string | null;
  quality: string | null;
  attitude: string | null;
  score: number | null;
  overall: string | null;
  satisfied: boolean | null;
  counted: boolean | null;
  verified: boolean | null;
  verification_outcome: string | null;
  customer_name: string | null;
  contact_phone: string | null;
  address: string | null;
};

/** 投诉 (fct_complaints) with the caller. */
export type ComplaintRow = {
  complaint_id: string;
  month: string;
  received_at: string;
  channel: string | null;
  category: string | null;
  category_label: string | null;
  attributable: string | null;
  severity: string | null;
  team_id: string | null;
  team_name: string | null;
  technician_id: string | null;
  technician_name: string | null;
  ticket_id: string | null;
  responded_at: string | null;
  resolved_at: string | null;
  response_deadline: string | null;
  resolution_deadline: string | null;
  /** null while not yet decidable. */
  responded_in_time: boolean | null;
  resolved_in_time: boolean | null;
  customer_name: string | null;
  contact_phone: string | null;
};

export type LateTicketsPage = ListPage<LateTicketRow>;
export interface FormsPage extends ListPage<FormRow> {
  filter: FormFilter;
  max_score: number | null;
}
export type ComplaintsPage = ListPage<ComplaintRow>;

// ---------------------------------------------------------------------------------------------
// One record with its history

export const RECORD_KINDS = ['tickets', 'feedback', 'complaints'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** A stored row as the warehouse holds it (its own columns, then batch_id, line_no, …). */
/** A raw record or history row: its columns as stored (arrays such as a form's reasons, the `extra` JSON of unknown columns included). */
export type RecordRow = Record<string, unknown>;

/** A batch that brought or replaced a version of the record. */
export interface RecordBatch {
  batch_id: number;
  kind: string;
  file_name: string;
  uploaded_by: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  rows_read: number | null;
  accepted: number | null;
  rejected: number | null;
}

export interface RecordAnswer {
  kind: RecordKind;
  id: string;
  team_id: string | null;
  pii_masked: boolean;
  /** null when the record lives only in history (a form replaced by a newer one). */
  current: RecordRow | null;
  /** Oldest first; each with superseded_by (the batch that replaced it) and change (updated | replaced). */
  history: RecordRow[];
  batches: RecordBatch[];
}
