/** Small text utilities shared by the scoring heuristics: words, sentences, n-grams, quoted speech. */

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Lower-cased words (letters/digits, keeping inner apostrophes). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map((w) => w.replace(/’/g, "'"));
}

/** Sentences split on terminal punctuation or line breaks; empty pieces dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…]["'”’)]?)\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => words(s).length > 0);
}

export function ngrams(tokens: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  return out;
}

/** The text with quoted speech removed: narration only (for narrative-person checks). */
export function narration(text: string): string {
  return text.replace(/"[^"]*"|“[^”]*”|«[^»]*»/gu, ' ');
}

/** Jaccard similarity of two word sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}
