/**
 * What the paged lists share: a page as LIMIT/OFFSET, and the ORDER BY of a sort value. Only a
 * column expression from a list's own key → column map (beside its query) is ever spliced into
 * SQL, never the caller's text.
 */
import type { SortValue } from '../contract/lists.ts';

export interface Page {
  limit: number;
  offset: number;
}

/** The 1-based page `page` of `size` rows. */
export function pageOf(page: number, size: number): Page {
  return { limit: size, offset: (page - 1) * size };
}

/** '-minutes_late' → 's.minutes_late DESC', from the list's map; a key the map lacks is refused. */
export function orderBy<K extends string>(columns: Readonly<Record<K, string>>, sort: SortValue<K> | string): string {
  const desc = sort.startsWith('-');
  const col = (columns as Record<string, string>)[desc ? sort.slice(1) : sort];
  if (!col) throw new Error(`unknown sort key "${sort}"`);
  return `${col} ${desc ? 'DESC' : 'ASC'}`;
}
