import { describe, expect, it } from 'vitest';
import { SamplingOptions, type SamplingOptionsInput } from '../../contract/contract.ts';
import { logprobOf, Sampler, StopMatcher } from './sampler.ts';

const opts = (o: SamplingOptionsInput) => SamplingOptions.parse(o);
/** Logits whose softmax is exactly `probs`. */
const logitsOf = (probs: number[]) => Float32Array.from(probs, Math.log);

function histogram(o: SamplingOptionsInput, logits: Float32Array, n = 4000, seed = 1): number[] {
  const s = new Sampler(opts(o), seed, logits.length);
  const h = new Array<number>(logits.length).fill(0);
  for (let i = 0; i < n; i++) h[s.sample(logits).token]! += 1;
  return h;
}

describe('Sampler', () => {
  const probs = [0.5, 0.3, 0.15, 0.05];
  const logits = logitsOf(probs);

  it('temperature 0 and top-k 1 are greedy', () => {
    expect(new Sampler(opts({ temperature: 0 }), 1, 4).sample(logits).token).toBe(0);
    expect(histogram({ temperature: 1, topK: 1 }, logits, 200)).toEqual([200, 0, 0, 0]);
  });

  it('greedy without penalties picks the first maximum and its exact log-probability; a penalty still applies', () => {
    const x = Float32Array.from([0.5, 2, -1, 2, 1.5]);
    const r = new Sampler(opts({ temperature: 0 }), 1, 5).sample(x);
    expect(r.token).toBe(1);
    expect(r.logprob).toBeCloseTo(logprobOf(x, 1), 6);
    // Only the logits the model gave count: a wider logits row (padded vocabulary) is cut to the sampler's size.
    expect(new Sampler(opts({ temperature: 0 }), 1, 3).sample(Float32Array.from([0, 1, 0.5, 9])).token).toBe(1);
    const penalized = new Sampler(opts({ temperature: 0, repetitionPenalty: 2 }), 1, 5, [1, 3]).sample(x);
    expect(penalized.token).toBe(4);
    expect(penalized.logprob).toBeCloseTo(logprobOf(x, 4), 6);
  });

  it('samples in proportion to the probabilities at temperature 1', () => {
    const h = histogram({ temperature: 1 }, logits, 20000);
    probs.forEach((p, i) => expect(h[i]! / 20000).toBeCloseTo(p, 1));
  });

  it('top-p keeps the smallest set reaching p; top-k keeps k; min-p drops tokens under min-p × top', () => {
    expect(histogram({ temperature: 1, topP: 0.75 }, logits).slice(2)).toEqual([0, 0]);
    expect(histogram({ temperature: 1, topP: 0.85 }, logits)[2]).toBeGreaterThan(0);
    expect(histogram({ temperature: 1, topK: 2 }, logits).slice(2)).toEqual([0, 0]);
    const h = histogram({ temperature: 1, minP: 0.2 }, logits);
    expect(h[3]).toBe(0); // 0.05 < 0.2 × 0.5
    expect(h[2]).toBeGreaterThan(0); // 0.15 ≥ 0.1
  });

  it('the same seed gives the same draws; another seed differs', () => {
    const draw = (seed: number) => {
      const s = new Sampler(opts({ temperature: 1 }), seed, 4);
      return Array.from({ length: 50 }, () => s.sample(logits).token);
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('repetition and frequency penalties push seen tokens down', () => {
    const rep = new Sampler(opts({ temperature: 0, repetitionPenalty: 3 }), 1, 3, [0]);
    expect(rep.sample(Float32Array.from([2, 1, 0])).token).toBe(1); // 2/3 < 1
    const freq = new Sampler(opts({ temperature: 0, frequencyPenalty: 1.5 }), 1, 3);
    freq.accept(0);
    expect(freq.sample(Float32Array.from([2, 1, 0])).token).toBe(1); // 2 - 1.5 < 1
  });

  it('reports the log-probability under the raw logits', () => {
    const r = new Sampler(opts({ temperature: 0.5, repetitionPenalty: 2 }), 1, 4, [1]).sample(logits);
    expect(r.logprob).toBeCloseTo(Math.log(probs[r.token]!), 5);
    expect(logprobOf(logits, 3)).toBeCloseTo(Math.log(0.05), 5);
  });
});

describe('StopMatcher', () => {
  it('holds back a possible stop prefix and cuts at the stop string', () => {
    const m = new StopMatcher(['\n\n', 'THE END']);
    expect(m.push('Hello TH')).toEqual({ emit: 'Hello ', stopped: false });
    expect(m.push('ere')).toEqual({ emit: 'THere', stopped: false });
    expect(m.push(' it was.\n')).toEqual({ emit: ' it was.', stopped: false });
    expect(m.push('\nMore')).toEqual({ emit: '', stopped: true });
    expect(m.fullText).toBe('Hello THere it was.');
  });

  it('flushes held-back text at the end', () => {
    const m = new StopMatcher(['THE END']);
    expect(m.push('so THE')).toEqual({ emit: 'so ', stopped: false });
    expect(m.flush()).toBe('THE');
  });
});
