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
 * Changes query parameters ('' / null removes one), keeping the others unless `fresh`. The
 * history entry is replaced — a filter change is not a step to go back to — unless `push` (a
 * click that takes the user somewhere else on the page, like a region picked in a chart).
 */
export function setQuery(changes: QueryChanges, opts: { push?: boolean; fresh?: boolean } = {}): void {
  const p = opts.fresh ? new URLSearchParams() : new URLSearchParams(page.url.searchParams);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') p.delete(k);
    else p.set(k, String(v));
  }
  const s = p.toString();
  void goto(s ? '?' + s : page.url.pathname, { replaceState: !opts.push, keepFocus: true, noScroll: true });
}
