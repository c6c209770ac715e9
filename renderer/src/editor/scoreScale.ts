import type { Scores } from '../../../electron/contract/contract.ts';

/**
 * Scores as a 0..1 quantity for bars and colours. The engine reports relevance as log P(relevant) and coherence as
 * the generator's mean log-probability per token (both ≤ 0), so both are shown as probabilities (exp); repetition
 * is a penalty already in 0..1 (0 = no repetition).
 */
export function scoreUnit(kind: keyof Scores, value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const x = kind === 'relevance' || kind === 'coherence' ? Math.exp(Math.max(-20, Math.min(0, value))) : value;
  return Math.max(0, Math.min(1, x));
}
