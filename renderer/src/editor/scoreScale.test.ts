import { describe, expect, it } from 'vitest';
import { scoreUnit } from './scoreScale.ts';

describe('scoreUnit', () => {
  it('shows log-probabilities as probabilities and clamps penalties', () => {
    expect(scoreUnit('relevance', 0)).toBe(1);
    expect(scoreUnit('relevance', Math.log(0.25))).toBeCloseTo(0.25, 6);
    expect(scoreUnit('coherence', -2)).toBeCloseTo(Math.exp(-2), 6);
    expect(scoreUnit('relevance', 0.7)).toBe(1);
    expect(scoreUnit('repetition', 0.3)).toBe(0.3);
    expect(scoreUnit('repetition', 4)).toBe(1);
    expect(scoreUnit('relevance', undefined)).toBeUndefined();
    expect(scoreUnit('coherence', Number.NaN)).toBeUndefined();
  });
});
