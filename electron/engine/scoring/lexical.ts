/**
 * The lexical feature of relevance: the SIF-weighted share of the outline point's words (crudely stemmed) that
 * the passage also uses. Averaged word vectors blur exact matches ("ledger", "frost"); this puts them back.
 * Word rarity comes from the embedded model's vocabulary, which is in corpus-frequency order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { embeddedRelevanceModelDir } from './embedded.ts';

/** The same SIF constants as models/build-embedded-model.ts. */
const SIF_A = 1e-3;
const ZIPF_SHIFT = 2.7;
const SOURCE_VOCABULARY = 341_479;
/** Rank given to words outside the vocabulary (rare: full weight). */
const UNSEEN_RANK = 200_000;

let ranks: Map<string, number> | null = null;
let harmonic = 0;

function rankTable(): Map<string, number> {
  if (ranks) return ranks;
  ranks = new Map();
  try {
    const tok = JSON.parse(fs.readFileSync(path.join(embeddedRelevanceModelDir(), 'tokenizer.json'), 'utf8')) as { model?: { vocab?: Record<string, number> } };
    for (const [w, id] of Object.entries(tok.model?.vocab ?? {})) if (id >= 2) ranks.set(w, id - 2);
  } catch {
    // Without the embedded vocabulary every word weighs the same; the feature still works, less sharply.
  }
  for (let r = 0; r < SOURCE_VOCABULARY; r++) harmonic += 1 / (r + 1 + ZIPF_SHIFT);
  return ranks;
}

export function wordWeight(word: string): number {
  const table = rankTable();
  if (table.size === 0) return 1;
  const p = 1 / ((table.get(word) ?? UNSEEN_RANK) + 1 + ZIPF_SHIFT) / harmonic;
  return SIF_A / (SIF_A + p);
}

const words = (t: string) => t.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').match(/[\p{L}\p{N}]+/gu) ?? [];
const stem = (w: string) => w.replace(/(?:ing|ed|es|s|ly)$/, '').slice(0, 6);

/** In [0, 1]: the weighted share of the query's distinct words whose stem occurs in the passage. */
export function lexicalOverlap(query: string, passage: string): number {
  const stems = new Set(words(passage).map(stem));
  let hit = 0;
  let total = 0;
  for (const w of new Set(words(query))) {
    const weight = wordWeight(w);
    total += weight;
    if (stems.has(stem(w))) hit += weight;
  }
  return total > 0 ? hit / total : 0;
}
