/**
 * Relevance calibration: a logistic model over (classifier score, required-name coverage), fitted on the labelled
 * dev set (bench/relevance-devset.json) so that relevance reads as log P(the passage realizes the point), like the
 * log-probabilities of Re3's classifiers, and adds up with the coherence log-probability.
 */

export interface Calibration {
  /** logit = scale × raw + names × coverage + lexical × overlap + bias */
  scale: number;
  names: number;
  lexical: number;
  bias: number;
}

export interface LabelledSample {
  raw: number;
  coverage: number;
  lexical: number;
  positive: boolean;
}

export function logit(c: Calibration, raw: number, coverage: number, lexical: number): number {
  return c.scale * raw + c.names * coverage + c.lexical * lexical + c.bias;
}

/** log σ(x), stable for large |x|. */
export function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

/**
 * Fits the calibration by L2-regularized logistic regression (full-batch gradient descent; deterministic).
 * Positives are weighted to balance the classes (one positive per three negatives in a 4-candidate set).
 */
export function fitCalibration(samples: LabelledSample[], options: { steps?: number; rate?: number; l2?: number } = {}): Calibration {
  const steps = options.steps ?? 4000;
  const rate = options.rate ?? 0.5;
  const l2 = options.l2 ?? 1e-3;
  const pos = samples.filter((s) => s.positive).length;
  const neg = samples.length - pos;
  if (pos === 0 || neg === 0) throw new Error('calibration needs positive and negative samples');
  const wPos = samples.length / (2 * pos);
  const wNeg = samples.length / (2 * neg);
  let c: Calibration = { scale: 1, names: 0, lexical: 0, bias: 0 };
  for (let t = 0; t < steps; t++) {
    let gs = 0;
    let gn = 0;
    let gl = 0;
    let gb = 0;
    for (const s of samples) {
      const p = 1 / (1 + Math.exp(-logit(c, s.raw, s.coverage, s.lexical)));
      const err = (p - (s.positive ? 1 : 0)) * (s.positive ? wPos : wNeg);
      gs += err * s.raw;
      gn += err * s.coverage;
      gl += err * s.lexical;
      gb += err;
    }
    const n = samples.length;
    c = {
      scale: c.scale - rate * (gs / n + l2 * c.scale),
      names: c.names - rate * (gn / n + l2 * c.names),
      lexical: c.lexical - rate * (gl / n + l2 * c.lexical),
      bias: c.bias - rate * (gb / n),
    };
  }
  return c;
}

/**
 * Fitted on the 20 'tuning' documents of bench/relevance-devset.json with the embedded model, never on its
 * 'holdout' documents (`npm run bench:rerank` refits and prints it; bench/results/rerank.json keeps the figures).
 */
export const EMBEDDED_CALIBRATION: Calibration = { scale: 4.709, names: 0.7776, lexical: 4.7373, bias: -2.923 };

/** For other bi-encoders (cosine in [-1, 1]) until calibrated. */
export const BI_ENCODER_CALIBRATION: Calibration = { scale: 10, names: 1, lexical: 1, bias: -5.5 };

/** For cross-encoders the raw score is already the log-odds of the positive label. */
export const CROSS_ENCODER_CALIBRATION: Calibration = { scale: 1, names: 1, lexical: 0, bias: -0.5 };
