/**
 * State shared by the three drill-down lists: filters, sort and page live in the URL (so a list
 * can be shared and survives a reload); the rows are fetched one page at a time from the server,
 * never all of them; a record opened from a row is loaded with its history.
 */
import { untrack } from 'svelte';
import { ID_RE, RECORD_KINDS, type ListPage, type RecordAnswer, type RecordKind } from '$contract';
import { get, ApiError, type Query } from '$lib/api';
import { param, setQuery, type QueryChanges } from '$lib/url-state';

export const PAGE_SIZE = 50;

/** The server's pattern for ids in query strings; checked here so a typo is explained, not sent. */
export { ID_RE as ID_PATTERN } from '$contract';

export interface Column {
  id: string;
  label: string;
  /** The server's sort key for this column (whitelisted per list); none = not sortable. */
  sort?: string;
  /** First click sorts descending (how late, dates: the worst / newest first is what one looks for). */
  firstDesc?: boolean;
  num?: boolean;
}

export function currentPage(): number {
  const n = Number(param('page'));
  return Number.isInteger(n) && n >= 1 ? n : 1;
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
export function setParams(changes: QueryChanges): void {
  setQuery('page' in changes ? changes : { ...changes, page: null });
}

/** `?record=` for a record: `tickets:BX2025…`. */
export function recordParam(kind: RecordKind, id: string): string {
  return `${kind}:${id}`;
}

/**
 * The record a `?record=` names: `<kind>:<id>`, or a bare id of the list's own kind (older links);
 * null when absent or malformed (a hand-edited URL opens nothing rather than asking the server).
 */
export function parseRecord(value: string, ownKind: RecordKind): { kind: RecordKind; id: string } | null {
  const at = value.indexOf(':');
  const kind = at < 0 ? ownKind : value.slice(0, at);
  const id = at < 0 ? value : value.slice(at + 1);
  if (!(RECORD_KINDS as readonly string[]).includes(kind) || !ID_RE.test(id)) return null;
  return { kind: kind as RecordKind, id };
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
  data = $state<ListPage<R> | null>(null);
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
      const d = await get<ListPage<R>>(this.endpoint, JSON.parse(key) as Query, { signal: ctrl.signal });
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

/**
 * The record shown in the side panel. Following a link inside the panel (a form's ticket) pushes
 * onto a small stack so "back" returns to the form.
 */
export class RecordView {
  stack = $state<{ kind: RecordKind; id: string }[]>([]);
  data = $state<RecordAnswer | null>(null);
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
      const d = await get<RecordAnswer>(`/api/records/${top.kind}/${encodeURIComponent(top.id)}`);
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
