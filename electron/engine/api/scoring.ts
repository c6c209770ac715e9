import { fail } from '../errors.ts';
import type { Handlers } from '../engine.ts';

export const scoringHandlers: Pick<Handlers, 'score.rerank'> = {
  'score.rerank': async (args, { services }) => {
    if (args.meanLogprobs && args.meanLogprobs.length !== args.passages.length) {
      fail('invalid_request', `meanLogprobs has ${args.meanLogprobs.length} values for ${args.passages.length} passages.`, { field: 'meanLogprobs', hint: 'Give one value per passage, or none.' });
    }
    const reranker = await services.scoring.reranker({ kind: args.kind, weights: args.weights, model: args.model });
    const candidates = args.passages.map((text, i) => (args.meanLogprobs ? { text, meanLogprob: args.meanLogprobs[i]! } : { text }));
    const context = { query: args.query, prefix: args.prefix, ...(args.prompt !== undefined && { prompt: args.prompt }), ...(args.requiredNames && { requiredNames: args.requiredNames }) };
    const result = await reranker.rerankWithDetails(context, candidates);
    return { ...result, model: reranker.model, weights: reranker.weights };
  },
};
