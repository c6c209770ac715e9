/**
 * Word counting for prose in any script: each CJK ideograph or kana counts as one word (as CJK word counts are
 * usually given in characters); elsewhere a word is a run of letters/digits, apostrophes and hyphens inside it.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’\-][\p{L}\p{N}\p{M}]+)*/gu;

export function countWords(text: string): number {
  if (!text) return 0;
  let cjk = 0;
  const rest = text.replace(CJK, () => {
    cjk++;
    return ' ';
  });
  let words = 0;
  for (const _ of rest.matchAll(WORD)) words++;
  return cjk + words;
}

/** Formats a count for the status line, e.g. 12,345. */
export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}
