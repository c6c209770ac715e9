import type { RerankDetail } from '../../contract/contract.ts';
import { jaccard, narration, ngrams, sentences, words } from './text.ts';

/**
 * Re3's repetition and meta-text heuristics. Each part of the report (the contract's RerankDetail.repetition) is a
 * number in [0, 1] — the share of 5-grams copied from the prompt, the share repeating an earlier 5-gram of the
 * candidate, the share of near-duplicate sentences — plus the meta text found and a narrative-person shift;
 * `penalty` is their sum (0 = clean; the reranker subtracts it, weighted).
 */
export type RepetitionReport = RerankDetail['repetition'];
export type NarrativePerson = NonNullable<RepetitionReport['personShift']>['found'];

export interface RepetitionOptions {
  /** The prompt the candidate was generated from. */
  prompt?: string;
  /** The text so far: its last sentences count for near-duplicates, and it sets the expected person. */
  prefix?: string;
  /** `infer` (default): the prefix's person, else third; `off`: no person check (reports, articles). */
  person?: NarrativePerson | 'infer' | 'off';
  /** Numbered/bulleted lists and headings are not meta text (reports, articles). */
  allowLists?: boolean;
}

const N = 5;
const NEAR_DUPLICATE = 0.7;
const PREFIX_SENTENCES = 30;
/** Earlier sentences of the candidate each sentence is compared with (keeps 1 MB inputs linear). */
const WINDOW = 100;

const LIST_PATTERNS: RegExp[] = [/^\s*(?:\d+[.)]|[-*•])\s+\S[^\n]{0,30}/gm, /^\s*#{1,6}\s+\S[^\n]{0,30}/gm];
const META_PATTERNS: RegExp[] = [
  /^\s*chapter\b[^\n]{0,40}/gim,
  /\bchapter\s+(?:\d+|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|ten)\b/gi,
  /\b(?:summary|outline|premise|synopsis|setting|characters?|title|passage|story|note|author's note)\s*:/gi,
  /\bin the (?:upcoming|next|following|previous) (?:passage|chapter|section|paragraph)\b/gi,
  /\b(?:the end|to be continued)\s*[.!]?\s*$/gi,
  /\bas an ai\b|\blanguage model\b/gi,
];

const FIRST = new Set(['i', 'me', 'my', 'mine', 'myself', 'we', 'us', 'our', 'ours', 'ourselves', "i'm", "i've", "i'd", "i'll"]);
const SECOND = new Set(['you', 'your', 'yours', 'yourself', 'yourselves', "you're", "you've", "you'd", "you'll"]);

/** The person a narration is told in, from pronouns outside quoted speech. */
export function narrativePerson(text: string): NarrativePerson | null {
  const w = words(narration(text));
  if (w.length < 8) return null;
  let first = 0;
  let second = 0;
  for (const x of w) {
    if (FIRST.has(x)) first++;
    else if (SECOND.has(x)) second++;
  }
  const share = 0.03 * w.length;
  if (first >= share && first >= second) return 'first';
  if (second >= share) return 'second';
  return 'third';
}

function overlapShare(grams: string[], reference: ReadonlySet<string>): number {
  if (grams.length === 0) return 0;
  let hit = 0;
  for (const g of grams) if (reference.has(g)) hit++;
  return hit / grams.length;
}

function selfRepeatShare(grams: string[]): number {
  if (grams.length === 0) return 0;
  const seen = new Set<string>();
  let repeats = 0;
  for (const g of grams) {
    if (seen.has(g)) repeats++;
    else seen.add(g);
  }
  return repeats / grams.length;
}

function duplicateShare(text: string, prefix: string): number {
  const own = sentences(text).map((s) => new Set(words(s)));
  if (own.length === 0) return 0;
  const earlier = sentences(prefix)
    .slice(-PREFIX_SENTENCES)
    .map((s) => new Set(words(s)))
    .filter((s) => s.size >= 4);
  let dup = 0;
  own.forEach((s, i) => {
    if (s.size < 4) return;
    const pool = earlier.concat(own.slice(Math.max(0, i - WINDOW), i));
    if (pool.some((p) => jaccard(s, p) >= NEAR_DUPLICATE)) dup++;
  });
  return dup / own.length;
}

function metaSnippets(text: string, allowLists: boolean): string[] {
  const found: string[] = [];
  for (const re of allowLists ? META_PATTERNS : META_PATTERNS.concat(LIST_PATTERNS)) for (const m of text.matchAll(re)) found.push(m[0].trim());
  return [...new Set(found)];
}

export function repetition(text: string, options: RepetitionOptions = {}): RepetitionReport {
  const grams = ngrams(words(text), N);
  const promptGrams = new Set(ngrams(words(options.prompt ?? ''), N));
  const promptOverlap = overlapShare(grams, promptGrams);
  const selfOverlap = selfRepeatShare(grams);
  const duplicateSentences = duplicateShare(text, options.prefix ?? '');
  const meta = metaSnippets(text, options.allowLists ?? false);

  let personShift: RepetitionReport['personShift'] = null;
  const mode = options.person ?? 'infer';
  if (mode !== 'off') {
    const expected = mode === 'infer' ? (narrativePerson(options.prefix ?? '') ?? 'third') : mode;
    const found = narrativePerson(text);
    if (found && found !== expected) personShift = { expected, found };
  }

  const penalty = promptOverlap + selfOverlap + duplicateSentences + Math.min(1, meta.length / 2) + (personShift ? 1 : 0);
  return { penalty, promptOverlap, selfOverlap, duplicateSentences, meta, personShift };
}
