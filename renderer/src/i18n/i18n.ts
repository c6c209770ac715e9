/** The i18n layer: t(key, vars) over the English and Simplified Chinese dictionaries; the choice is remembered. */
import { createContext, useContext } from 'react';
import { en, type MessageKey } from './en.ts';
import { zh } from './zh.ts';

export const locales = { en, 'zh-CN': zh } as const satisfies Record<string, Record<MessageKey, string>>;
export type Locale = keyof typeof locales;
export const localeNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

export type Vars = Record<string, string | number>;

export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const template: string = locales[locale][key] ?? en[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

export function pickLocale(stored: string | null, browser: readonly string[]): Locale {
  if (stored && stored in locales) return stored as Locale;
  return browser.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

let current: Locale = 'en';

/** For code outside React (actions, notices): the locale the desk shows now. */
export function setCurrentLocale(l: Locale): void {
  current = l;
}

export function tr(key: MessageKey, vars?: Vars): string {
  return translate(current, key, vars);
}

export interface I18n {
  locale: Locale;
  t: (key: MessageKey, vars?: Vars) => string;
  setLocale: (l: Locale) => void;
}

export const I18nContext = createContext<I18n>({ locale: 'en', t: (k, v) => translate('en', k, v), setLocale: () => {} });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
