/** Light / dark theme: kept in localStorage, applied as <html data-theme>; charts follow it. */
export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'aftersales.theme';

function initialTheme(): Theme {
  if (typeof localStorage === 'undefined') return 'light';
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const theme = $state<{ current: Theme }>({ current: initialTheme() });

export function applyTheme(): void {
  document.documentElement.dataset.theme = theme.current;
}

export function toggleTheme(): void {
  theme.current = theme.current === 'dark' ? 'light' : 'dark';
  localStorage.setItem(STORAGE_KEY, theme.current);
  applyTheme();
}
