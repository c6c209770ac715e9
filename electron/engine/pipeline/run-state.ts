import { z } from 'zod';
import { WriteOptions } from '../../contract/contract.ts';

/**
 * The Write loop's own persisted state (data/run.json). Which passages exist is the store's truth; this file
 * only records what the store can't: the options of the run, which passages finished their revise step, which
 * points the user skipped, and timing for the ETA.
 */
export const RunState = z.object({
  version: z.literal(1),
  status: z.enum(['running', 'paused', 'stopped', 'done', 'error']),
  options: WriteOptions,
  revised: z.array(z.string()),
  skipped: z.array(z.string()),
  /** Seconds spent drafting, and passages drafted, in this project (for the ETA). */
  seconds: z.number(),
  drafted: z.number().int(),
  /** Generated tokens per word seen so far (for length control). */
  tokensPerWord: z.number().positive(),
  startedAt: z.string(),
  error: z.string().optional(),
});
export type RunState = z.infer<typeof RunState>;
export const runFile = 'run';

export function newRunState(options: WriteOptions): RunState {
  return { version: 1, status: 'running', options, revised: [], skipped: [], seconds: 0, drafted: 0, tokensPerWord: 1.4, startedAt: new Date().toISOString() };
}
