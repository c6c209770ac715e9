import { describe, expect, it } from 'vitest';
import { fitCalibration, logit, logSigmoid } from './calibration.ts';

describe('calibration', () => {
  it('fits a logistic model that orders positives above negatives', () => {
    const samples = [];
    for (let i = 0; i < 40; i++) {
      samples.push({ raw: 0.5 + (i % 7) * 0.03, coverage: i % 2, lexical: 0.4, positive: true });
      for (let j = 0; j < 3; j++) samples.push({ raw: 0.2 + ((i + j) % 7) * 0.03, coverage: (i + j) % 3 === 0 ? 1 : 0, lexical: 0.2, positive: false });
    }
    const c = fitCalibration(samples);
    expect(c.scale).toBeGreaterThan(1);
    expect(c.lexical).toBeGreaterThan(0);
    expect(logit(c, 0.6, 0, 0.4)).toBeGreaterThan(0);
    expect(logit(c, 0.25, 0, 0.2)).toBeLessThan(0);
  });

  it('computes log σ without overflow', () => {
    expect(logSigmoid(0)).toBeCloseTo(Math.log(0.5));
    expect(logSigmoid(1000)).toBe(-0);
    expect(logSigmoid(-1000)).toBe(-1000);
  });

  it('refuses a sample set without both classes', () => {
    expect(() => fitCalibration([{ raw: 1, coverage: 0, lexical: 0, positive: true }])).toThrow(/positive and negative/);
  });
});
