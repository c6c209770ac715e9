import type { RequestName } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { Handler, Handlers } from '../engine.ts';

/**
 * Handlers for requests whose capability has not landed yet: they answer with a clear `unavailable` error
 * instead of crashing. Each area replaces its entries as it lands.
 */
export function pending<N extends RequestName>(names: readonly N[], what: string): Pick<Handlers, N> {
  const out = {} as Record<N, Handler<N>>;
  for (const name of names) {
    out[name] = async () => fail('unavailable', `${name} is not available in this build: ${what} has not landed yet.`);
  }
  return out as Pick<Handlers, N>;
}
