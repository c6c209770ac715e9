/** Calls a request; on failure shows a non-blocking notice and returns null (the UI never breaks on an error). */
import type { ApiError, RequestArgs, RequestName, RequestResult } from '../../../electron/contract/contract.ts';
import { api } from './client.ts';
import { notifyError } from '../state/store.ts';

export async function attempt<N extends RequestName>(name: N, args: RequestArgs<N>, opts: { quiet?: boolean } = {}): Promise<RequestResult<N> | null> {
  const reply = await api.call(name, args);
  if (reply.ok) return reply.result;
  if (!opts.quiet) notifyError(reply.error);
  return null;
}

export async function tryCall<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<{ ok: true; result: RequestResult<N> } | { ok: false; error: ApiError }> {
  return api.call(name, args);
}
