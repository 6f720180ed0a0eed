/**
 * zh-CN by default, English on request (kept in localStorage). `t(key)` reads the locale, so any
 * template that calls it re-renders when the language changes.
 */
import * as common from './i18n/common';
import * as overview from './i18n/overview';
import * as supervision from './i18n/supervision';
import * as lists from './i18n/lists';
import * as assessment from './i18n/assessment';
import * as data from './i18n/data';
import * as settings from './i18n/settings';

export type Locale = 'zh-CN' | 'en';

const zh = { ...common.zh, ...overview.zh, ...supervision.zh, ...lists.zh, ...assessment.zh, ...data.zh, ...settings.zh };
const en = { ...common.en, ...overview.en, ...supervision.en, ...lists.en, ...assessment.en, ...data.en, ...settings.en };
export type MessageKey = keyof typeof zh;
const dictionaries: Record<Locale, Record<string, string>> = { 'zh-CN': zh, en };

const STORAGE_KEY = 'aftersales.locale';

function initialLocale(): Locale {
  if (typeof localStorage === 'undefined') return 'zh-CN';
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

export const i18n = $state<{ locale: Locale }>({ locale: initialLocale() });

export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

/** The text for a key in the current language; `{name}` placeholders filled from params. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dictionaries[i18n.locale][key] ?? zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Same as t() for keys built at run time (e.g. 'outcome.' + outcome); unknown keys come back as is. */
export function tk(key: string, params: Record<string, string | number> = {}): string {
  return t(key as MessageKey, params);
}
