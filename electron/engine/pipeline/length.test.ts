import { describe, expect, it } from 'vitest';
import { lengthScore, shareTargets } from './length.ts';
import { importPlan } from './plan-file.ts';

describe('length control', () => {
  it('shares the target over the leaves, keeping fixed leaf targets', () => {
    const { plan } = importPlan(JSON.stringify({ kind: 'report', brief: 'b', outline: ['a', { text: 'b', children: ['b1', { text: 'b2', targetWords: 100 }] }, 'c'] }));
    const t = shareTargets(plan.outline, 1000);
    expect(t.get('2.2')).toBe(100);
    expect([...t.values()].reduce((a, b) => a + b, 0)).toBe(1000);
    expect(t.get('1')).toBe(300);
  });

  it('computes the LongBench-Write length score', () => {
    expect(lengthScore(1000, 1000)).toBe(100);
    expect(lengthScore(1000, 2000)).toBeCloseTo(100 * (1 - 1 / 3));
    expect(lengthScore(1000, 500)).toBe(50);
    expect(lengthScore(1000, 4000)).toBe(0);
    expect(lengthScore(1000, 0)).toBe(0);
  });
});
