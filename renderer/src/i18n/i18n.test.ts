import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en.ts';
import { locales, pickLocale, placeholders, translate } from './i18n.ts';

// Brand names and file-format names are the same in every language.
const sameEverywhere = new Set<MessageKey>(['app.name']);

describe('i18n', () => {
  for (const [name, dict] of Object.entries(locales)) {
    it(`${name} is complete: every key present, non-empty, same placeholders, translated`, () => {
      for (const key of Object.keys(en) as MessageKey[]) {
        const value = dict[key];
        expect(value, key).toBeTypeOf('string');
        expect(value.trim().length, key).toBeGreaterThan(0);
        expect(placeholders(value), key).toEqual(placeholders(en[key]));
        if (name !== 'en' && !sameEverywhere.has(key)) expect(value, `${key} is untranslated`).not.toBe(en[key]);
      }
      expect(Object.keys(dict).sort()).toEqual(Object.keys(en).sort());
    });
  }
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'top.progressText', { done: 3, total: 9, step: 'drafting' })).toBe('3 of 9 points · drafting');
    expect(translate('zh-CN', 'editor.words', { count: 12 })).toBe('12 字');
    expect(translate('en', 'editor.words')).toBe('{count} words');
  });
  it('picks the stored locale, else Chinese for a zh browser, else English', () => {
    expect(pickLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(pickLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLocale('fr', ['de-DE'])).toBe('en');
  });
});
