/** The settings page keeps its tab and each tab's filters in the URL (shareable, back button). */
import { goto } from '$app/navigation';
import { page } from '$app/state';

export function param(name: string): string | null {
  return page.url.searchParams.get(name);
}

/** Sets (or with null/'' removes) query parameters, keeping the others. */
export function setQuery(updates: Record<string, string | number | null | undefined>, opts: { replace?: boolean } = {}): void {
  const p = opts.replace ? new URLSearchParams() : new URLSearchParams(page.url.searchParams);
  for (const [k, v] of Object.entries(updates)) {
    if (v === null || v === undefined || v === '') p.delete(k);
    else p.set(k, String(v));
  }
  void goto('?' + p.toString(), { replaceState: true, keepFocus: true, noScroll: true });
}

/** This month in China ('YYYY-MM'), for when the data has no latest month yet. */
export function thisMonth(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
