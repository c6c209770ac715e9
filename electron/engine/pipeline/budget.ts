/** Cutting text to a token budget, at word boundaries, with the generator's own token counter. */
export type CountTokens = (text: string) => number;

// No tokenizer packs more than this many characters into one token on real text; it bounds the work per cut.
const MAX_CHARS_PER_TOKEN = 16;

/** The longest start of `text` (whole words) within `max` tokens. */
export function fitHead(text: string, max: number, count: CountTokens): string {
  if (max <= 0 || !text) return '';
  const cut = text.length > max * MAX_CHARS_PER_TOKEN ? text.slice(0, max * MAX_CHARS_PER_TOKEN) : text;
  if (cut === text && count(text) <= max) return text;
  const parts = cut.split(/(?<=\s)/);
  let lo = 0;
  let hi = parts.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(parts.slice(0, mid).join('').trimEnd()) <= max) lo = mid;
    else hi = mid - 1;
  }
  return parts.slice(0, lo).join('').trimEnd();
}

/** The longest end of `text` (whole words) within `max` tokens. */
export function fitTail(text: string, max: number, count: CountTokens): string {
  if (max <= 0 || !text) return '';
  const cut = text.length > max * MAX_CHARS_PER_TOKEN ? text.slice(text.length - max * MAX_CHARS_PER_TOKEN) : text;
  if (cut === text && count(text) <= max) return text;
  const parts = cut.split(/(?<=\s)/);
  // The first piece of a cut may be half a word.
  if (cut !== text) parts.shift();
  let lo = 0;
  let hi = parts.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(parts.slice(parts.length - mid).join('').trimStart()) <= max) lo = mid;
    else hi = mid - 1;
  }
  return parts.slice(parts.length - lo).join('').trimStart();
}

/** As many items (in order) as fit within `max` tokens when joined by newlines; an item that doesn't fit is cut. */
export function fitItems(items: string[], max: number, count: CountTokens): string[] {
  const out: string[] = [];
  let used = 0;
  for (const item of items) {
    const left = max - used;
    if (left <= 2) break;
    const n = count(item) + 1;
    if (n <= left) {
      out.push(item);
      used += n;
    } else {
      const cut = fitHead(item, left - 1, count);
      if (cut) out.push(cut);
      break;
    }
  }
  return out;
}
