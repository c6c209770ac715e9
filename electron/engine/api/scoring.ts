import type { Handlers } from '../engine.ts';
import { pending } from './pending.ts';

export const scoringHandlers: Pick<Handlers, 'score.rerank'> = pending(['score.rerank'], 'the reranker');
