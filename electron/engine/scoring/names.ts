/**
 * The cheap entity feature of relevance: does a passage mention the names an outline point requires?
 * Names come from the caller (the plan's characters) or, failing that, from capitalized words of the point.
 */

const NOT_NAMES = new Set(
  ('The A An In On At Of And But Or So Then When While After Before As If It Its He She They We I You His Her Their Our This That These Those There Here Now One Two Three Meanwhile Finally Later Soon Once Chapter Part Section Introduction Conclusion Summary Mr Mrs Ms Dr ' +
    'Explain Describe Discuss Give Summarize Summarise Compare Contrast Report Recommend Estimate Evaluate Tell Show List Introduce Outline Present Analyze Analyse Define Review Conclude Argue Close Open Begin End Start Finish Note Mention Cover Detail Illustrate Propose Assess Identify Examine Consider Set Write').split(' '),
);

/** Capitalized words that are not sentence-initial function words: a cheap stand-in for a name list. */
export function namesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+)*/gu)) {
    const parts = m[0].split(/\s+/).filter((p) => !NOT_NAMES.has(p));
    if (parts.length) found.add(parts.join(' '));
  }
  return [...found];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name counts as present when its full form, or any of its words of 3+ letters, appears as a whole word. */
function mentions(passage: string, name: string): boolean {
  const forms = [name, ...name.split(/\s+/).filter((w) => w.length >= 3 && !NOT_NAMES.has(w))];
  return forms.some((f) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(f)}(?![\\p{L}\\p{N}])`, 'u').test(passage));
}

/** Share of `names` the passage mentions, in [0, 1]; 0 when there are no names. */
export function nameCoverage(passage: string, names: readonly string[]): number {
  if (names.length === 0) return 0;
  let hit = 0;
  for (const n of names) if (mentions(passage, n)) hit++;
  return hit / names.length;
}
