/**
 * Relevance of candidate passages to an outline point: the classifier's score of (point, passage) — cosine for a
 * bi-encoder, log-odds of the positive label for a cross-encoder — plus two cheap features: the coverage of the
 * names the point requires and the weighted overlap of its words, calibrated into log P(relevant).
 */
import { fail } from '../errors.ts';
import { BI_ENCODER_CALIBRATION, CROSS_ENCODER_CALIBRATION, EMBEDDED_CALIBRATION, logit, logSigmoid, type Calibration } from './calibration.ts';
import { cosine, loadClassifier, type LoadedClassifier, type LoadOptions } from './classifier.ts';
import { isEmbeddedRelevanceModel } from './embedded.ts';
import { lexicalOverlap } from './lexical.ts';
import { nameCoverage, namesIn } from './names.ts';

export interface RelevanceScores {
  /** Calibrated log P(relevant), ≤ 0. */
  relevance: number[];
  /** The classifier's own score (cosine, or log-odds of the positive label). */
  raw: number[];
  /** Share of required names mentioned. */
  names: number[];
  /** Weighted share of the query's words the passage uses. */
  lexical: number[];
}

const LOG_ODDS_CLAMP = 20;

/** Rejects empty passage lists and empty strings with an error that names the field. */
export function checkTexts(query: string, passages: readonly string[]): void {
  if (query.trim() === '') fail('bad_input', 'The query (outline point) is empty.', { field: 'query', hint: 'Give the outline point or section goal the passages should realize.' });
  if (passages.length === 0) fail('bad_input', 'There are no passages to score.', { field: 'passages', hint: 'Give at least one passage.' });
  passages.forEach((p, i) => {
    if (typeof p !== 'string' || p.trim() === '') fail('bad_input', `Passage ${i} is empty.`, { field: `passages.${i}`, hint: 'Remove empty passages or give them text.' });
  });
}

export class Relevance {
  readonly model: LoadedClassifier;
  readonly calibration: Calibration;

  constructor(model: LoadedClassifier, calibration?: Calibration) {
    this.model = model;
    this.calibration =
      calibration ??
      (model.kind === 'cross-encoder' ? CROSS_ENCODER_CALIBRATION : isEmbeddedRelevanceModel(model.model.dir) ? EMBEDDED_CALIBRATION : BI_ENCODER_CALIBRATION);
  }

  static async load(dir: string, options: LoadOptions = {}): Promise<Relevance> {
    const providers = options.providers ?? (isEmbeddedRelevanceModel(dir) ? (['cpu'] as const) : undefined);
    return new Relevance(await loadClassifier(dir, providers ? { ...options, providers } : options));
  }

  get dir(): string {
    return this.model.model.dir;
  }

  /** The classifier's raw score of each (query, passage) pair, in input order. */
  async raw(query: string, passages: readonly string[]): Promise<number[]> {
    checkTexts(query, passages);
    if (this.model.kind === 'bi-encoder') {
      const [q, ...p] = await this.model.model.embed([query, ...passages]);
      return p.map((v) => cosine(q!, v));
    }
    const m = this.model.model;
    const probs = await m.classify(passages.map((p) => [query, p] as [string, string]));
    const k = m.positiveIndex();
    return probs.map((row) => {
      const pr = Math.min(1 - 1e-9, Math.max(1e-9, row[k]!));
      return Math.max(-LOG_ODDS_CLAMP, Math.min(LOG_ODDS_CLAMP, Math.log(pr / (1 - pr))));
    });
  }

  /** `requiredNames` default to the capitalized names of the query. */
  async score(query: string, passages: readonly string[], requiredNames?: readonly string[]): Promise<RelevanceScores> {
    const raw = await this.raw(query, passages);
    const required = requiredNames ?? namesIn(query);
    const names = passages.map((p) => nameCoverage(p, required));
    const lexical = passages.map((p) => lexicalOverlap(query, p));
    const relevance = raw.map((r, i) => logSigmoid(logit(this.calibration, r, names[i]!, lexical[i]!)));
    return { relevance, raw, names, lexical };
  }

  async dispose(): Promise<void> {
    await this.model.model.dispose();
  }
}
