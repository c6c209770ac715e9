import type { Engine } from '../engine/engine.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code. Lazily given an in-process engine. */
  run(argv: string[], ctx: { engine: () => Engine; io: CliIo }): Promise<number>;
}

/** Thrown for bad command-line usage: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

/**
 * A numeric flag: undefined when absent, else a finite number (an integer when asked, within [min, max] when given);
 * anything else is a UsageError naming the flag.
 */
export function numberFlag(
  value: string | undefined,
  flag: string,
  { integer = false, min = -Infinity, max = Infinity }: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const kind = integer ? 'a whole number' : 'a number';
  const range = Number.isFinite(min) && Number.isFinite(max) ? ` from ${min} to ${max}` : '';
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new UsageError(`${flag} must be ${kind}${range} (got ${JSON.stringify(value)}).`);
  }
  return n;
}
