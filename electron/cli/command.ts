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
