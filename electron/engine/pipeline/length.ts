import type { OutlinePoint } from '../../contract/contract.ts';
import { leaves } from './outline.ts';

export { countWords } from '../../shared/words.ts';

/**
 * Shares a document's target length over the outline's leaves (AgentWrite-style: every paragraph of the plan gets
 * a word budget). Leaves that already carry a targetWords keep it; the rest share what remains equally.
 */
export function shareTargets(outline: OutlinePoint[], targetWords: number): Map<string, number> {
  const ls = leaves(outline);
  const fixed = ls.filter((l) => l.point.targetWords !== undefined);
  const free = ls.filter((l) => l.point.targetWords === undefined);
  const out = new Map<string, number>();
  for (const l of fixed) out.set(l.point.id, l.point.targetWords!);
  const remaining = Math.max(0, targetWords - fixed.reduce((s, l) => s + l.point.targetWords!, 0));
  const each = free.length > 0 ? Math.max(1, Math.floor(remaining / free.length)) : 0;
  let extra = free.length > 0 ? Math.max(0, remaining - each * free.length) : 0;
  for (const l of free) {
    out.set(l.point.id, each + (extra > 0 ? 1 : 0));
    if (extra > 0) extra--;
  }
  return out;
}

/** LongBench-Write's length score S_l (0..100) of output length `y` against required length `x`. */
export function lengthScore(required: number, output: number): number {
  if (required <= 0) return output === 0 ? 100 : 0;
  if (output <= 0) return 0;
  if (output > required) return 100 * Math.max(0, 1 - (output / required - 1) / 3);
  return 100 * Math.max(0, 1 - (required / output - 1) / 2);
}

/** Tokens to ask for so a passage lands near `words`, given the model's tokens per word seen so far. */
export function tokensForWords(words: number, tokensPerWord: number, cap: number): number {
  return Math.max(8, Math.min(cap, Math.ceil(words * tokensPerWord * 1.1)));
}
