/**
 * Re3's reranker: every candidate gets relevance (to the outline point), coherence (the generator's own mean
 * log-probability per token, or — when the generator gave none — the relevance model's fit of the candidate to the
 * end of the text so far) and a repetition/meta-text penalty; combined = wR·relevance + wC·coherence − wP·penalty.
 */
import type { DocKind, ExecutionProvider, RerankDetail, RerankWeights } from '../../contract/contract.ts';
import type { Reranker, RerankContext, RerankInput, RerankResult } from '../services/types.ts';
import { checkTexts, type Relevance } from './relevance.ts';
import { repetition, type RepetitionOptions } from './repetition.ts';

export type { RerankWeights };

export interface KindProfile {
  weights: RerankWeights;
  person: RepetitionOptions['person'];
  /** Numbered lists and headings are meta text in stories, ordinary in reports and articles. */
  allowLists: boolean;
}

export const KIND_PROFILES: Record<DocKind, KindProfile> = {
  story: { weights: { relevance: 1, coherence: 1, repetition: 2 }, person: 'infer', allowLists: false },
  report: { weights: { relevance: 1.5, coherence: 0.5, repetition: 2 }, person: 'off', allowLists: true },
  article: { weights: { relevance: 1.5, coherence: 0.75, repetition: 2 }, person: 'off', allowLists: true },
};

/** Lowest mean log-probability counted (a degenerate candidate should not swamp everything else). */
const MIN_LOGPROB = -20;
/** The end of the text so far that the fallback coherence looks at. */
const PREFIX_TAIL_CHARS = 1200;

export interface DetailedRerankResult extends RerankResult {
  details: RerankDetail[];
}

export class ScoringReranker implements Reranker {
  private readonly relevance: Relevance;
  readonly kind: DocKind;
  readonly weights: RerankWeights;

  constructor(relevance: Relevance, options: { kind?: DocKind; weights?: Partial<RerankWeights> } = {}) {
    this.relevance = relevance;
    this.kind = options.kind ?? 'story';
    this.weights = { ...KIND_PROFILES[this.kind].weights, ...options.weights };
  }

  /** The relevance model behind this reranker. */
  get model(): { dir: string; kind: 'cross-encoder' | 'bi-encoder'; provider: ExecutionProvider } {
    const m = this.relevance.model;
    return { dir: m.model.dir, kind: m.kind, provider: m.model.provider };
  }

  async rerank(context: RerankContext, candidates: RerankInput[]): Promise<RerankResult> {
    const { winner, candidates: scored } = await this.rerankWithDetails(context, candidates);
    return { winner, candidates: scored };
  }

  async rerankWithDetails(context: RerankContext, candidates: RerankInput[]): Promise<DetailedRerankResult> {
    const texts = candidates.map((c) => c.text);
    checkTexts(context.query, texts);
    const profile = KIND_PROFILES[this.kind];
    const rel = await this.relevance.score(context.query, texts, context.requiredNames);
    const coh = await this.coherence(context, candidates);
    const reps = texts.map((t) =>
      repetition(t, { prompt: context.prompt ?? '', prefix: context.prefix, person: profile.person, allowLists: profile.allowLists }),
    );
    const w = this.weights;
    const scored = candidates.map((c, i) => {
      const relevance = rel.relevance[i]!;
      const coherence = coh.scores[i]!;
      const rep = reps[i]!.penalty;
      return { text: c.text, scores: { relevance, coherence, repetition: rep, combined: w.relevance * relevance + w.coherence * coherence - w.repetition * rep } };
    });
    let winner = 0;
    scored.forEach((s, i) => {
      if (s.scores.combined > scored[winner]!.scores.combined) winner = i;
    });
    return {
      winner,
      candidates: scored,
      details: scored.map((_, i) => ({ relevanceRaw: rel.raw[i]!, names: rel.names[i]!, lexical: rel.lexical[i]!, coherenceSource: coh.source, repetition: reps[i]! })),
    };
  }

  /** The same source for every candidate, so their coherence scores compare. */
  private async coherence(context: RerankContext, candidates: RerankInput[]): Promise<{ source: RerankDetail['coherenceSource']; scores: number[] }> {
    if (candidates.every((c) => typeof c.meanLogprob === 'number' && Number.isFinite(c.meanLogprob))) {
      return { source: 'logprob', scores: candidates.map((c) => Math.max(MIN_LOGPROB, Math.min(0, c.meanLogprob!))) };
    }
    const tail = context.prefix.slice(-PREFIX_TAIL_CHARS);
    if (tail.trim() === '') return { source: 'none', scores: candidates.map(() => 0) };
    const s = await this.relevance.score(tail, candidates.map((c) => c.text), []);
    return { source: 'classifier', scores: s.relevance };
  }
}
