import { z } from 'zod';
import type { Entity } from '../../contract/contract.ts';

/** One fact about an entity, e.g. (Anna, eyes, blue), with the sentence it came from. */
export const Fact = z.object({
  entity: z.string(),
  attribute: z.string(),
  value: z.string(),
  sentence: z.string(),
  /** The passage it came from; "plan" for facts the plan states. */
  source: z.string(),
});
export type Fact = z.infer<typeof Fact>;

export const Ledger = z.object({ version: z.literal(1), facts: z.array(Fact) });
export type Ledger = z.infer<typeof Ledger>;
export const ledgerFile = 'ledger';

export const emptyLedger = (): Ledger => ({ version: 1, facts: [] });

// Nouns that name a stable bodily attribute; "Anna's brown eyes" only reads as a fact for these.
const ATTRIBUTES = new Set([
  'eyes', 'eye', 'hair', 'skin', 'beard', 'moustache', 'voice', 'nose', 'eyebrows', 'freckles', 'fur', 'feathers', 'mane',
]);
const COLORS = new Set([
  'blue', 'brown', 'green', 'grey', 'gray', 'black', 'white', 'red', 'yellow', 'orange', 'purple', 'pink', 'golden', 'blond',
  'blonde', 'silver', 'hazel', 'amber', 'auburn', 'violet', 'dark', 'fair', 'ginger',
]);
const STOP_VALUES = new Set(['a', 'an', 'the', 'very', 'so', 'not', 'also', 'still', 'always', 'now', 'really', 'quite', 'too']);

const sentenceSplit = (text: string) => text.split(/(?<=[.!?。！？])\s+|\n+/u).map((s) => s.trim()).filter(Boolean);
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const canonical = (attr: string) => (attr === 'eye' ? 'eyes' : attr);

/**
 * Pattern extraction, for models too small to extract facts by prompt. Recognizes, for a known entity X:
 * "X's A is/are V", "X's V A" (A a known attribute noun), "X has V A", "X is N years old", "X lives in P".
 */
export function extractFacts(text: string, entities: string[], source: string): Fact[] {
  const out: Fact[] = [];
  const names = entities.filter(Boolean).sort((a, b) => b.length - a.length);
  for (const sentence of sentenceSplit(text)) {
    for (const name of names) {
      const n = esc(name);
      const add = (attribute: string, value: string) => {
        const v = value.toLowerCase().trim();
        if (!v || STOP_VALUES.has(v)) return;
        out.push({ entity: name, attribute: canonical(attribute.toLowerCase()), value: v, sentence, source });
      };
      for (const m of sentence.matchAll(new RegExp(`\\b${n}['’]s\\s+(\\p{L}+)\\s+(?:is|are|was|were)\\s+(?:(?:very|so|quite|really|still|always)\\s+)?(\\p{L}+)`, 'giu'))) {
        add(m[1]!, m[2]!);
      }
      for (const m of sentence.matchAll(new RegExp(`\\b${n}['’]s\\s+(\\p{L}+)\\s+(\\p{L}+)`, 'giu'))) {
        const [, value, attr] = m;
        if (ATTRIBUTES.has(attr!.toLowerCase()) && !ATTRIBUTES.has(value!.toLowerCase())) add(attr!, value!);
      }
      for (const m of sentence.matchAll(new RegExp(`\\b${n}\\s+(?:has|had)\\s+(?:a\\s+|an\\s+)?(\\p{L}+)\\s+(\\p{L}+)`, 'giu'))) {
        if (ATTRIBUTES.has(m[2]!.toLowerCase())) add(m[2]!, m[1]!);
      }
      for (const m of sentence.matchAll(new RegExp(`\\b${n}\\s+(?:is|was)\\s+(\\d+)\\s+years?\\s+old`, 'giu'))) add('age', m[1]!);
      for (const m of sentence.matchAll(new RegExp(`\\b${n}\\s+(?:lives|lived)\\s+in\\s+((?:\\p{Lu}\\p{L}*)(?:\\s+\\p{Lu}\\p{L}*)*)`, 'gu'))) add('home', m[1]!);
    }
  }
  return dedupe(out);
}

function dedupe(facts: Fact[]): Fact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const k = `${f.entity}\u0000${f.attribute}\u0000${f.value}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** The plan's own facts (entity facts and descriptions) as ledger facts. */
export function planFacts(entities: Entity[]): Fact[] {
  const names = entities.map((e) => e.name);
  return entities.flatMap((e) => [
    ...e.facts.flatMap((f) => extractFacts(f, names, 'plan')),
    ...extractFacts(`${e.name} ${e.description}`, names, 'plan'),
    ...extractFacts(e.description, names, 'plan'),
  ]);
}

export const factSentence = (f: Pick<Fact, 'entity' | 'attribute' | 'value'>) =>
  f.attribute === 'age' ? `${f.entity} is ${f.value} years old.` : f.attribute === 'home' ? `${f.entity} lives in ${f.value}.` : `${f.entity}'s ${f.attribute} ${f.attribute.endsWith('s') ? 'are' : 'is'} ${f.value}.`;

export interface Conflict {
  /** The established fact. */
  established: Fact;
  /** The new claim from the passage. */
  claim: Fact;
  /** True when the values are exclusive by kind (two colors, two ages) and no judge is needed. */
  certain: boolean;
}

/** New facts that disagree with an established one about the same entity and attribute. */
export function conflicts(ledger: Ledger, fresh: Fact[]): Conflict[] {
  const out: Conflict[] = [];
  for (const claim of fresh) {
    const established = ledger.facts.find((f) => f.entity === claim.entity && f.attribute === claim.attribute && f.source !== claim.source);
    if (!established || established.value === claim.value) continue;
    const bothColors = COLORS.has(established.value) && COLORS.has(claim.value);
    const bothNumbers = /^\d+$/.test(established.value) && /^\d+$/.test(claim.value);
    out.push({ established, claim, certain: bothColors || bothNumbers });
  }
  return out;
}

/** Adds facts (first value wins: an established fact is never replaced by a later claim). */
export function record(ledger: Ledger, facts: Fact[]): Ledger {
  const next = [...ledger.facts];
  for (const f of facts) {
    if (!next.some((g) => g.entity === f.entity && g.attribute === f.attribute)) next.push(f);
  }
  return { version: 1, facts: next };
}

/** Removes what a passage contributed (before re-recording an edited or regenerated passage). */
export function forget(ledger: Ledger, source: string): Ledger {
  return { version: 1, facts: ledger.facts.filter((f) => f.source !== source) };
}

/**
 * Facts a generator listed as "attribute: value" lines about `entity`, each tied to the sentence of `text` that
 * mentions the entity and the value (lines that the passage doesn't support are dropped).
 */
export function parseFactLines(listed: string, entity: string, text: string, source: string): Fact[] {
  const sentences = sentenceSplit(text);
  const out: Fact[] = [];
  for (const line of listed.split('\n')) {
    const m = line.replace(/^[\s*-]+/, '').match(/^([\p{L} ]{1,40}):\s*(.{1,80})$/u);
    if (!m) continue;
    const attribute = canonical(m[1]!.trim().toLowerCase());
    const value = m[2]!.trim().replace(/[.;,]$/, '').toLowerCase();
    if (!value || attribute.split(' ').length > 3 || value.split(/\s+/).length > 6) continue;
    const sentence = sentences.find((s) => s.includes(entity) && s.toLowerCase().includes(value));
    if (sentence) out.push({ entity, attribute, value, sentence, source });
  }
  return dedupe(out);
}
