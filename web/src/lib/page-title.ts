/**
 * The browser's title of a page (one per page, set by the layout): the page's own tab if it has
 * tabs, the navigation entry, the product — "超时工单 · 明细 · 售后服务质量监督与考核".
 */
import { t, tk } from './i18n.svelte';
import { navItemOf } from './nav';

/** The tab of a page with tabs, from its path or ?tab= ('' when none). */
function tabOf(url: URL): string {
  const [, section, sub] = url.pathname.split('/');
  if (section === 'lists' && sub) return tk('lists.tab.' + sub);
  if (section === 'supervision') return tk('supervision.tab.' + (sub || 'kpi'));
  if (section === 'settings') return tk('settings.tab.' + (url.searchParams.get('tab') || 'policy'));
  return '';
}

export function pageTitle(url: URL): string {
  const product = t('app.title');
  if (url.pathname === '/login') return `${t('login.title')} · ${product}`;
  const item = navItemOf(url.pathname);
  if (!item) return product;
  const tab = tabOf(url);
  // A hand-edited tab that is no key comes back as the key: leave it out.
  const parts = tab && !/^[a-z]+\.tab\./.test(tab) ? [tab, t(item.label)] : [t(item.label)];
  return [...parts, product].join(' · ');
}
