/**
 * State shared by the three drill-down lists: filters, sort and page live in the URL (so a list
 * can be shared and survives a reload); the rows are fetched one page at a time from the server,
 * never all of them; a record opened from a row is loaded with its history.
 */
import { untrack } from 'svelte';
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { get, ApiError, type Query } from '$lib/api';
import { meta } from '$lib/meta.svelte';

export const PAGE_SIZE = 50;

/** The server's pattern for ids in query strings; checked here so a typo is explained, not sent. */
export const ID_PATTERN = /^[\p{L}\p{N}_.-]{1,64}$/u;

export interface ListResponse<R> {
  total: number;
  page: number;
  page_size: number;
  sort: string;
  pii_masked: boolean;
  rows: R[];
}

export interface Column {
  id: string;
  label: string;
  /** The server's sort key for this column (whitelisted per list); none = not sortable. */
  sort?: string;
  /** First click sorts descending (how late, dates: the worst / newest first is what one looks for). */
  firstDesc?: boolean;
  num?: boolean;
}

/** A query-string value, '' when absent. */
export function param(name: string): string {
  return page.url.searchParams.get(name) ?? '';
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** The URL's month, else the newest month with data. */
export function currentMonth(): string {
  return param('month') || meta.data?.latest_month || '';
}

export function currentPage(): number {
  const n = Number(param('page'));
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** A sort value from the URL if the list allows it (key or -key), else the list's default. */
export function validSort(value: string, keys: readonly string[], fallback: string): string {
  const key = value.startsWith('-') ? value.slice(1) : value;
  return keys.includes(key) ? value : fallback;
}

/** Clicking a column: same key flips the direction, another key starts in the column's first direction. */
export function nextSort(current: string, key: string, firstDesc = false): string {
  if (current === key) return '-' + key;
  if (current === '-' + key) return key;
  return firstDesc ? '-' + key : key;
}

/**
 * Change query parameters ('' / null removes one). Any change but paging goes back to page 1:
 * page 7 of another filter is a different set of rows.
 */
export function setParams(changes: Record<string, string | number | null | undefined>): void {
  const p = new URLSearchParams(page.url.searchParams);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') p.delete(k);
    else p.set(k, String(v));
  }
  if (!('page' in changes)) p.delete('page');
  const s = p.toString();
  void goto(s ? '?' + s : page.url.pathname, { replaceState: true, keepFocus: true, noScroll: true });
}

/** Query string that keeps month and team when switching between the lists. */
export function carriedQuery(month: string, team: string): string {
  const p = new URLSearchParams();
  if (month) p.set('month', month);
  if (team) p.set('team', team);
  const s = p.toString();
  return s ? '?' + s : '';
}

export function isOtherTeam(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'other_team';
}

/**
 * One page of a list. The query function reads the page's URL state; it is compared as a string,
 * so opening a record or any URL change that does not touch the list does not refetch. A newer
 * request cancels the older one and only the newest answer is shown.
 */
export class ListLoader<R> {
  data = $state<ListResponse<R> | null>(null);
  error = $state<unknown>(null);
  loading = $state(false);
  #seq = 0;
  #abort: AbortController | null = null;
  #key = '';

  constructor(
    readonly endpoint: string,
    query: () => Query,
  ) {
    const key = $derived(JSON.stringify(query()));
    $effect(() => {
      const k = key;
      untrack(() => void this.#load(k));
    });
    $effect(() => () => this.#abort?.abort());
  }

  reload(): void {
    void this.#load(this.#key);
  }

  async #load(key: string): Promise<void> {
    this.#key = key;
    const seq = ++this.#seq;
    this.#abort?.abort();
    const ctrl = new AbortController();
    this.#abort = ctrl;
    this.loading = true;
    try {
      const d = await get<ListResponse<R>>(this.endpoint, JSON.parse(key) as Query, { signal: ctrl.signal });
      if (seq !== this.#seq) return;
      this.data = d;
      this.error = null;
    } catch (e) {
      if (seq !== this.#seq) return;
      this.data = null;
      this.error = e;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}

export type RecordKind = 'tickets' | 'feedback' | 'complaints';
export type RecordRow = Record<string, unknown>;

export interface RecordData {
  kind: RecordKind;
  id: string;
  team_id: string | null;
  pii_masked: boolean;
  /** null when the record lives only in history (a form replaced by a newer one). */
  current: RecordRow | null;
  /** Oldest first; each with superseded_by (batch) and change (updated | replaced). */
  history: RecordRow[];
  batches: { batch_id: number; kind: string; file_name: string; uploaded_by: string; started_at: string; status: string }[];
}

/**
 * The record shown in the side panel. Following a link inside the panel (a form's ticket) pushes
 * onto a small stack so "back" returns to the form.
 */
export class RecordView {
  stack = $state<{ kind: RecordKind; id: string }[]>([]);
  data = $state<RecordData | null>(null);
  error = $state<unknown>(null);
  loading = $state(false);
  #seq = 0;

  get top(): { kind: RecordKind; id: string } | null {
    return this.stack.at(-1) ?? null;
  }

  open(kind: RecordKind, id: string, push = false): void {
    const top = this.top;
    if (top && top.kind === kind && top.id === id) return;
    this.stack = push ? [...this.stack, { kind, id }] : [{ kind, id }];
    void this.#load();
  }

  back(): void {
    this.stack = this.stack.slice(0, -1);
    void this.#load();
  }

  close(): void {
    this.#seq++;
    this.stack = [];
    this.data = null;
    this.error = null;
    this.loading = false;
  }

  retry(): void {
    void this.#load();
  }

  async #load(): Promise<void> {
    const top = this.top;
    if (!top) return;
    const seq = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const d = await get<RecordData>(`/api/records/${top.kind}/${encodeURIComponent(top.id)}`);
      if (seq === this.#seq) this.data = d;
    } catch (e) {
      if (seq !== this.#seq) return;
      this.data = null;
      this.error = e;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}
