import { describe, expect, it } from 'vitest';
import { countWords } from './words.ts';

describe('countWords', () => {
  it('counts English words, keeping contractions and hyphenated words whole', () => {
    expect(countWords("It wasn't a well-known town, was it?")).toBe(7);
    expect(countWords('  \n\t ')).toBe(0);
    expect(countWords('')).toBe(0);
  });
  it('counts every CJK character as a word, mixed with Latin words', () => {
    expect(countWords('我爱写作')).toBe(4);
    expect(countWords('Longhand 帮你写小说。')).toBe(1 + 5);
    expect(countWords('こんにちは世界')).toBe(7);
  });
  it('counts RTL words and ignores emoji and punctuation', () => {
    expect(countWords('مرحبا بالعالم')).toBe(2);
    expect(countWords('שלום עולם 🎉 — !!')).toBe(2);
    expect(countWords('café naïve 42')).toBe(3);
  });
  it('counts Hangul by words, as Korean is spaced into words', () => {
    expect(countWords('안녕하세요 세계')).toBe(2);
  });
  it('counts a 100 000-word text', () => {
    const text = 'the quick brown fox jumps '.repeat(20_000);
    expect(countWords(text)).toBe(100_000);
  });
});
