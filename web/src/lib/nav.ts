/** Which pages each role sees (the server enforces the same on every endpoint). */
import type { MessageKey } from './i18n.svelte';
import type { Role } from '$contract';

export interface NavItem {
  path: string;
  label: MessageKey;
  roles: Role[];
}

export const NAV: NavItem[] = [
  { path: '/overview', label: 'nav.overview', roles: ['executive', 'supervisor', 'hr', 'manager', 'admin'] },
  { path: '/supervision', label: 'nav.supervision', roles: ['supervisor', 'admin'] },
  { path: '/lists', label: 'nav.lists', roles: ['supervisor', 'hr', 'executive', 'manager', 'admin'] },
  { path: '/assessment', label: 'nav.assessment', roles: ['hr', 'manager', 'executive', 'admin'] },
  { path: '/data', label: 'nav.data', roles: ['supervisor', 'hr', 'admin'] },
  { path: '/settings', label: 'nav.settings', roles: ['admin'] },
];

export function navFor(role: Role): NavItem[] {
  return NAV.filter((n) => n.roles.includes(role));
}

/** The page a role lands on after sign-in. */
export function homeFor(role: Role): string {
  return { executive: '/overview', supervisor: '/supervision', hr: '/assessment', manager: '/assessment', admin: '/overview' }[role];
}

/** The navigation entry a path belongs to ('/lists/late' → 明细), if any. */
export function navItemOf(path: string): NavItem | undefined {
  return NAV.find((n) => path === n.path || path.startsWith(n.path + '/'));
}

export function allowed(role: Role, path: string): boolean {
  const item = navItemOf(path);
  return !item || item.roles.includes(role);
}

/**
 * The sign-in page for a signed-out visit to `target` (path + query): the page comes back after
 * sign-in. The sign-in page itself and the root need no return.
 */
export function loginHref(target: string): string {
  return target === '/' || target === '' || target.startsWith('/login') ? '/login' : '/login?next=' + encodeURIComponent(target);
}

/**
 * A `?next=` worth following after sign-in: a path on this origin (never `//host`, `/\host`, a
 * scheme or the sign-in page), returned as path + query + hash; else null (the role's home page).
 */
export function safeNext(next: string | null | undefined, origin: string): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  let u: URL;
  try {
    u = new URL(next, origin);
  } catch {
    return null;
  }
  if (u.origin !== origin || u.pathname === '/login' || u.pathname === '/') return null;
  return u.pathname + u.search + u.hash;
}
