import type { Handlers } from '../engine.ts';
import { pending } from './pending.ts';

type PipelineRequests = Extract<keyof Handlers, `plan.${string}` | `write.${string}` | `passage.${string}` | `selection.${string}` | `flag.${string}` | `reference.${string}`>;

export const pipelineHandlers: Pick<Handlers, PipelineRequests> = pending(
  [
    'plan.generate', 'plan.expand', 'write.start', 'write.pause', 'write.resume', 'write.stop', 'passage.choose',
    'passage.regenerate', 'passage.edit', 'selection.transform', 'flag.resolve', 'reference.add', 'reference.remove', 'reference.list',
  ],
  'the Re3 pipeline',
);
