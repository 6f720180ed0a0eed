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

export function allowed(role: Role, path: string): boolean {
  const item = NAV.find((n) => path === n.path || path.startsWith(n.path + '/'));
  return !item || item.roles.includes(role);
}
