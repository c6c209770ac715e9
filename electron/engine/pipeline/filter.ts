/**
 * Re3's plan-sample filters: the generator writes several samples for each plan part and the bad ones are dropped —
 * empty, duplicate, placeholder ("protagonist", "unknown"), or merely repeating the premise.
 */

const PLACEHOLDERS = [
  'protagonist', 'antagonist', 'unknown', 'character', 'narrator', 'name', 'main', 'hero', 'heroine', 'villain',
  'person', 'someone', 'nobody', 'anonymous', 'n/a', 'none', 'tbd', 'todo', 'the author', 'author', 'you', 'i', 'he', 'she', 'they',
];

export function normalize(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
}

function words(text: string): string[] {
  return normalize(text).split(' ').filter(Boolean);
}

/** Share of `text`'s word n-grams that also occur in `source` (0..1). */
export function ngramOverlap(text: string, source: string, n = 3): number {
  const grams = (ws: string[]) => {
    const out: string[] = [];
    for (let i = 0; i + n <= ws.length; i++) out.push(ws.slice(i, i + n).join(' '));
    return out;
  };
  const a = grams(words(text));
  if (a.length === 0) return 0;
  const b = new Set(grams(words(source)));
  return a.filter((g) => b.has(g)).length / a.length;
}

export function containsPlaceholder(text: string): boolean {
  const ws = new Set(words(text));
  return PLACEHOLDERS.some((p) => (p.includes(' ') ? normalize(text).includes(p) : ws.has(p)));
}

/** The first sentence of a sample (generators run on past the part they were asked for). */
export function firstSentence(text: string): string {
  const t = text.trim().split('\n')[0]!.trim();
  const m = t.match(/^.*?[.!?。！？](?=\s|$)/u);
  return (m ? m[0] : t).trim();
}

export interface SampleFilter {
  /** Samples whose n-grams mostly repeat this text are dropped. */
  premise?: string;
  /** Values already taken (e.g. other characters' names). */
  existing?: string[];
  /** Drop samples with placeholder words. */
  banPlaceholders?: boolean;
  minWords?: number;
  maxWords?: number;
}

/** Keeps the usable samples, in order, without duplicates. */
export function filterSamples(samples: string[], f: SampleFilter = {}): string[] {
  const seen = new Set((f.existing ?? []).map(normalize));
  const out: string[] = [];
  for (const raw of samples) {
    const s = raw.trim();
    const key = normalize(s);
    const n = key ? key.split(' ').length : 0;
    if (!key || n < (f.minWords ?? 1) || n > (f.maxWords ?? Infinity)) continue;
    if (seen.has(key)) continue;
    if (f.banPlaceholders !== false && containsPlaceholder(s)) continue;
    if (f.premise && n >= 4 && ngramOverlap(s, f.premise) > 0.5) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

/** A character name from a sample: one to three capitalized words, nothing else. */
export function cleanName(sample: string): string | null {
  const m = sample.trim().match(/^[\s"'“]*((?:\p{Lu}[\p{L}'’-]*)(?:\s+\p{Lu}[\p{L}'’-]*){0,2})/u);
  if (!m) return null;
  const name = m[1]!.replace(/[’']s$/u, '');
  return containsPlaceholder(name) ? null : name;
}

/**
 * Parses a numbered list ("1. …\n2. …"). Accepted only with exactly `count` items, none empty, none repeating
 * another (or the premise) — Re3's rule for outlines; otherwise null so the caller tries the next sample.
 */
export function parseOutline(text: string, count: number, premise = ''): string[] | null {
  const items: string[] = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*(\d+)[.)]\s*(.*)$/);
    if (m) {
      if (Number(m[1]) !== items.length + 1) break;
      items.push(m[2]!.trim());
    } else if (items.length > 0 && line.trim() && !/^\s*\d/.test(line)) {
      if (items.length === count) break;
      items[items.length - 1] += ' ' + line.trim();
    } else if (items.length > 0 && !line.trim() && items.length === count) break;
  }
  if (items.length !== count) return null;
  const kept = filterSamples(items, { premise, banPlaceholders: false, minWords: 2 });
  if (kept.length !== count) return null;
  for (let i = 0; i < kept.length; i++) for (let j = 0; j < i; j++) if (ngramOverlap(kept[i]!, kept[j]!) > 0.5) return null;
  return kept;
}

/** Among samples, the one least repetitive within itself (Re3 keeps the least repetitive portrait). */
export function leastRepetitive(samples: string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const s of samples) {
    const ws = words(s);
    const score = ws.length ? 1 - new Set(ws).size / ws.length : 1;
    if (score < bestScore) (best = s), (bestScore = score);
  }
  return best;
}
