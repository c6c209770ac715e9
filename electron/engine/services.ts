import type { EngineEvent } from '../contract/contract.ts';
import type { HomePaths } from './paths.ts';

/**
 * The long-lived services one engine shares across requests (one model load for all requests, open projects…).
 * Each area adds its service here as a lazily created member.
 */
export class Services {
  readonly paths: HomePaths;
  readonly emit: (event: EngineEvent) => void;
  private readonly disposers: Array<() => Promise<void> | void> = [];

  constructor(paths: HomePaths, emit: (event: EngineEvent) => void) {
    this.paths = paths;
    this.emit = emit;
  }

  /** Registers cleanup to run when the engine is disposed. */
  onDispose(fn: () => Promise<void> | void): void {
    this.disposers.push(fn);
  }

  async dispose(): Promise<void> {
    for (const fn of this.disposers.reverse()) await fn();
  }
}
