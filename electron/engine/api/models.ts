import type { Handlers } from '../engine.ts';
import { pending } from './pending.ts';

type ModelRequests = Extract<keyof Handlers, `models.${string}`>;

export const modelHandlers: Pick<Handlers, ModelRequests> = pending(
  ['models.catalog', 'models.list', 'models.pull', 'models.cancel', 'models.import', 'models.remove', 'models.use', 'models.hardware'],
  'the model manager',
);
