import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LonghandError } from '../errors.ts';
import { embeddedRelevanceModelDir } from './embedded.ts';
import { Relevance } from './relevance.ts';
import { ScoringReranker } from './reranker.ts';

let relevance: Relevance;
beforeAll(async () => {
  relevance = await Relevance.load(embeddedRelevanceModelDir());
});
afterAll(async () => relevance?.dispose());

const QUERY = 'A violent storm wrecks a fishing boat and Mara rescues the crew.';
const PREFIX = 'Mara had kept the lighthouse alone since her father died. Every night she climbed the stairs and lit the lamp.';
const ON_POINT =
  'By midnight the wind was screaming. Mara saw a trawler slam against the reef, ran to the jetty and rowed into the surf, ' +
  'hauling three soaked fishermen aboard and bringing them back alive.';
const OFF_POINT = 'In the morning Mara walked to the village market and bought bread, apples and a new pair of boots for the winter.';

describe('the reranker', () => {
  it('returns every candidate with each score and picks the best combined one', async () => {
    const r = await new ScoringReranker(relevance).rerank({ query: QUERY, prefix: PREFIX }, [{ text: OFF_POINT }, { text: ON_POINT }]);
    expect(r.candidates).toHaveLength(2);
    expect(r.winner).toBe(1);
    for (const c of r.candidates) {
      expect(Object.keys(c.scores).sort()).toEqual(['coherence', 'combined', 'relevance', 'repetition']);
    }
    expect(r.candidates[1]!.scores.relevance).toBeGreaterThan(r.candidates[0]!.scores.relevance);
  });

  it("uses the generator's mean log-probability as coherence, and its weight can change the winner", async () => {
    const candidates = [
      { text: ON_POINT, meanLogprob: -4.5 },
      { text: OFF_POINT, meanLogprob: -0.5 },
    ];
    const context = { query: QUERY, prefix: PREFIX };
    const relevanceFirst = await new ScoringReranker(relevance, { weights: { coherence: 0 } }).rerankWithDetails(context, candidates);
    expect(relevanceFirst.winner).toBe(0);
    expect(relevanceFirst.details[0]!.coherenceSource).toBe('logprob');
    expect(relevanceFirst.candidates[1]!.scores.coherence).toBe(-0.5);
    const coherenceFirst = await new ScoringReranker(relevance, { weights: { coherence: 10 } }).rerank(context, candidates);
    expect(coherenceFirst.winner).toBe(1);
  });

  it('penalizes planted repetition and meta text, so the repetition weight can change the winner', async () => {
    const looped = `Chapter 2\n\nSummary: ${ON_POINT} ${ON_POINT} ${ON_POINT}`;
    const clean = 'The storm came in fast. Mara watched the waves from the gallery and worried about the boats still out at sea.';
    const context = { query: QUERY, prefix: PREFIX };
    const ignore = await new ScoringReranker(relevance, { weights: { repetition: 0 } }).rerankWithDetails(context, [{ text: looped }, { text: clean }]);
    expect(ignore.winner).toBe(0);
    expect(ignore.details[0]!.repetition.meta.length).toBeGreaterThanOrEqual(2);
    expect(ignore.candidates[0]!.scores.repetition).toBeGreaterThan(1);
    const penalize = await new ScoringReranker(relevance).rerank(context, [{ text: looped }, { text: clean }]);
    expect(penalize.winner).toBe(1);
  });

  it('falls back to the classifier for coherence when log-probabilities are missing, and to 0 without a prefix', async () => {
    const withPrefix = await new ScoringReranker(relevance).rerankWithDetails({ query: QUERY, prefix: PREFIX }, [{ text: ON_POINT, meanLogprob: -1 }, { text: OFF_POINT }]);
    expect(withPrefix.details[0]!.coherenceSource).toBe('classifier');
    const none = await new ScoringReranker(relevance).rerankWithDetails({ query: QUERY, prefix: '' }, [{ text: ON_POINT }]);
    expect(none.details[0]!.coherenceSource).toBe('none');
    expect(none.candidates[0]!.scores.coherence).toBe(0);
  });

  it('does not treat lists as meta text in reports', async () => {
    const list = 'Findings:\n1. Waits rose to 3 hours 40 minutes.\n2. Night shifts are 22% understaffed.';
    const report = await new ScoringReranker(relevance, { kind: 'report' }).rerankWithDetails({ query: 'Describe waiting times.', prefix: '' }, [{ text: list }]);
    const story = await new ScoringReranker(relevance, { kind: 'story' }).rerankWithDetails({ query: 'Describe waiting times.', prefix: '' }, [{ text: list }]);
    expect(report.details[0]!.repetition.meta).toEqual([]);
    expect(story.details[0]!.repetition.meta.length).toBeGreaterThan(0);
  });

  it('rejects an empty candidate list and empty candidates', async () => {
    const reranker = new ScoringReranker(relevance);
    await expect(reranker.rerank({ query: QUERY, prefix: '' }, [])).rejects.toBeInstanceOf(LonghandError);
    await expect(reranker.rerank({ query: QUERY, prefix: '' }, [{ text: ON_POINT }, { text: '' }])).rejects.toThrow(/Passage 1 is empty/);
  });
});
