/**
 * State that can be shared lives in the URL (docs/dashboard.md): every page reads its query
 * parameters and changes them through these functions, so that a change keeps the other
 * parameters, drops empty ones and treats the browser history the same way on every page.
 */
import { isMonth } from '$contract';
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { meta } from './meta.svelte';

export type QueryChanges = Record<string, string | number | null | undefined>;

/** A query-string value, '' when absent. */
export function param(name: string): string {
  return page.url.searchParams.get(name) ?? '';
}

/**
 * The month a page shows: the query's ?month= when it is one ('YYYY-MM'), else the newest month
 * with data ('' when there is none). Takes the parameters so that a request made before the page
 * exists (the overview's prefetch, from location.search) reads them the same way.
 */
export function monthFrom(params: URLSearchParams, latest: string | null | undefined): string {
  const m = params.get('month');
  return isMonth(m) ? m : (latest ?? '');
}

/** The current page's month (monthFrom of its URL). */
export function currentMonth(): string {
  return monthFrom(page.url.searchParams, meta.data?.latest_month);
}

/** A parameter's value if it is one of the allowed ones, else the fallback (a hand-edited URL). */
export function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/**
 * Changes query parameters ('' / null removes one), keeping the others unless `fresh`. Each change
 * is a new history entry, so Back steps back through a page's filters, pages and open records
 * (docs/dashboard.md); `replace` is for corrections nobody would go back to (a value put right).
 * `state` rides along in the entry (page.state: how many record panels were opened over the list).
 */
export function setQuery(changes: QueryChanges, opts: { replace?: boolean; fresh?: boolean; state?: App.PageState } = {}): void {
  const p = opts.fresh ? new URLSearchParams() : new URLSearchParams(page.url.searchParams);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') p.delete(k);
    else p.set(k, String(v));
  }
  const s = p.toString();
  void goto(s ? '?' + s : page.url.pathname, { replaceState: !!opts.replace, keepFocus: true, noScroll: true, state: opts.state ?? {} });
}
