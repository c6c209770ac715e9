/**
 * Token sampling for one sequence: repetition and frequency penalties, temperature, top-k, top-p, min-p,
 * a seedable RNG per sequence (so a row of a batch equals a single run with the same seed), and the token's
 * log-probability under the model (raw logits, before penalties and temperature: the coherence signal).
 */
import type { SamplingOptions } from '../../contract/contract.ts';

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SampleResult {
  token: number;
  logprob: number;
}

/** log-softmax of `logits` at `token`. */
export function logprobOf(logits: Float32Array, token: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  return logits[token]! - max - Math.log(sum);
}

/** Greedy choice without penalties: argmax and its log-probability in two passes over the logits, no copy. */
function greedyOf(logits: Float32Array): SampleResult {
  let token = 0;
  let max = logits[0]!;
  for (let i = 1; i < logits.length; i++) {
    if (logits[i]! > max) {
      max = logits[i]!;
      token = i;
    }
  }
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i]! - max);
  return { token, logprob: -Math.log(sum) };
}

export class Sampler {
  private readonly random: () => number;
  private readonly counts = new Map<number, number>();
  private readonly seen: Set<number>;
  private readonly work: Float32Array;

  constructor(
    private readonly options: SamplingOptions,
    seed: number,
    vocabSize: number,
    promptIds: readonly number[] = [],
  ) {
    this.random = seededRandom(seed);
    this.seen = new Set(promptIds);
    this.work = new Float32Array(vocabSize);
  }

  /** Records a generated token (for the penalties). */
  accept(token: number): void {
    this.seen.add(token);
    this.counts.set(token, (this.counts.get(token) ?? 0) + 1);
  }

  sample(logits: Float32Array): SampleResult {
    const o = this.options;
    const x = this.work;
    const greedy = o.temperature === 0 || o.topK === 1;
    if (greedy && o.repetitionPenalty === 1 && o.frequencyPenalty === 0) return greedyOf(logits.subarray(0, x.length));
    x.set(logits.subarray(0, x.length));
    if (o.repetitionPenalty !== 1) {
      for (const t of this.seen) x[t] = x[t]! > 0 ? x[t]! / o.repetitionPenalty : x[t]! * o.repetitionPenalty;
    }
    if (o.frequencyPenalty !== 0) for (const [t, c] of this.counts) x[t] = x[t]! - o.frequencyPenalty * c;

    let token: number;
    if (greedy) {
      token = 0;
      for (let i = 1; i < x.length; i++) if (x[i]! > x[token]!) token = i;
    } else {
      token = this.draw(x);
    }
    return { token, logprob: logprobOf(logits.subarray(0, x.length), token) };
  }

  private draw(x: Float32Array): number {
    const o = this.options;
    let max = -Infinity;
    for (let i = 0; i < x.length; i++) if (x[i]! > max) max = x[i]!;
    const invT = 1 / o.temperature;
    const filtered = o.topK > 0 || o.topP < 1 || o.minP > 0;
    if (!filtered) {
      let sum = 0;
      for (let i = 0; i < x.length; i++) {
        x[i] = Math.exp((x[i]! - max) * invT);
        sum += x[i]!;
      }
      let r = this.random() * sum;
      for (let i = 0; i < x.length; i++) {
        r -= x[i]!;
        if (r <= 0) return i;
      }
      return x.length - 1;
    }
    let total = 0;
    for (let i = 0; i < x.length; i++) {
      x[i] = Math.exp((x[i]! - max) * invT);
      total += x[i]!;
    }
    // Candidates above a falling threshold (relative to the top probability), widened until they surely contain
    // every token the filters can keep; sorting only those keeps this cheap for 100k+ vocabularies.
    // x is relative to the top probability (x[top] = 1); below 1e-9 of it nothing changes a cut-off measurably.
    let cand: number[] = [];
    for (const rel of [1e-2, 1e-4, 1e-6, 1e-9]) {
      cand = [];
      let mass = 0;
      for (let i = 0; i < x.length; i++) {
        if (x[i]! >= rel) {
          cand.push(i);
          mass += x[i]!;
        }
      }
      const enoughK = o.topK === 0 || cand.length >= o.topK;
      const enoughP = o.topP >= 1 || mass / total >= o.topP;
      const enoughMin = o.minP === 0 || o.minP >= rel;
      if (enoughK && enoughP && enoughMin) break;
    }
    cand.sort((a, b) => x[b]! - x[a]! || a - b);
    let n = cand.length;
    if (o.topK > 0) n = Math.min(n, o.topK);
    if (o.minP > 0) {
      const floor = o.minP * x[cand[0]!]!;
      let m = 0;
      while (m < n && x[cand[m]!]! >= floor) m++;
      n = Math.max(1, m);
    }
    if (o.topP < 1) {
      let acc = 0;
      let m = 0;
      while (m < n) {
        acc += x[cand[m]!]! / total;
        m++;
        if (acc >= o.topP) break;
      }
      n = Math.max(1, m);
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[cand[i]!]!;
    let r = this.random() * sum;
    for (let i = 0; i < n; i++) {
      r -= x[cand[i]!]!;
      if (r <= 0) return cand[i]!;
    }
    return cand[n - 1]!;
  }
}

/**
 * Finds stop strings in streamed text and holds back text that might be the start of one, so a stop string
 * is never streamed out.
 */
export class StopMatcher {
  private text = '';
  private emittedLength = 0;

  constructor(private readonly stops: readonly string[]) {}

  /** Adds text; returns what can be emitted now and whether a stop string was reached. */
  push(piece: string): { emit: string; stopped: boolean } {
    this.text += piece;
    for (const s of this.stops) {
      const at = this.text.indexOf(s, Math.max(0, this.emittedLength - s.length));
      if (at >= 0) {
        const emit = this.text.slice(this.emittedLength, at);
        this.text = this.text.slice(0, at);
        this.emittedLength = at;
        return { emit, stopped: true };
      }
    }
    let hold = 0;
    for (const s of this.stops) {
      for (let k = Math.min(s.length - 1, this.text.length); k > hold; k--) {
        if (this.text.endsWith(s.slice(0, k))) {
          hold = k;
          break;
        }
      }
    }
    const safe = this.text.length - hold;
    const emit = safe > this.emittedLength ? this.text.slice(this.emittedLength, safe) : '';
    this.emittedLength = Math.max(this.emittedLength, safe);
    return { emit, stopped: false };
  }

  /** At the end: whatever was held back. */
  flush(): string {
    const emit = this.text.slice(this.emittedLength);
    this.emittedLength = this.text.length;
    return emit;
  }

  get fullText(): string {
    return this.text;
  }
}
