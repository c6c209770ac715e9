/**
 * The one word count of Longhand (editor status line, length control, project info, exports).
 * Each CJK ideograph or kana counts as one word (CJK lengths are given in characters, as LongBench-Write does);
 * elsewhere a word is a run of letters/digits/marks, with apostrophes and hyphens inside it. Hangul is spaced
 * into words like Latin script, so it counts by words. Pure: the renderer bundles it too.
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
