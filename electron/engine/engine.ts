import { EventEmitter } from 'node:events';
import {
  parseRequest,
  type EngineEvent,
  type ParsedArgs,
  type Reply,
  type RequestName,
  type RequestResult,
} from '../contract/contract.ts';
import { toApiError } from './errors.ts';
import { homePaths, type HomePaths } from './paths.ts';
import { systemHandlers } from './api/system.ts';
import { generatorHandlers } from './api/generator.ts';
import { projectHandlers } from './api/project.ts';
import { pipelineHandlers } from './api/pipeline.ts';
import { scoringHandlers } from './api/scoring.ts';
import { modelHandlers } from './api/models.ts';
import { Services } from './services.ts';

export type Host = 'electron' | 'web' | 'inprocess';

export interface HandlerContext {
  readonly engine: Engine;
  readonly services: Services;
  readonly paths: HomePaths;
  emit(event: EngineEvent): void;
}

export type Handler<N extends RequestName> = (args: ParsedArgs<N>, ctx: HandlerContext) => Promise<RequestResult<N>>;
export type Handlers = { [N in RequestName]: Handler<N> };

export interface EngineOptions {
  host: Host;
  /** The data folder; defaults to LONGHAND_HOME or the platform's place. */
  home?: string;
}

/**
 * The engine: plain Node, no Electron. Every host (utilityProcess, browser-mode server, CLI/tests in-process)
 * creates one and forwards raw requests to `call`, which validates them against the contract and never throws.
 */
export class Engine {
  readonly host: Host;
  readonly paths: HomePaths;
  readonly services: Services;
  readonly startedAt = Date.now();
  private readonly events = new EventEmitter();
  private readonly handlers: Handlers;

  constructor(options: EngineOptions) {
    this.host = options.host;
    this.paths = homePaths(options.home);
    this.events.setMaxListeners(100);
    this.services = new Services(this.paths, (event) => this.emit(event));
    this.handlers = {
      ...systemHandlers,
      ...generatorHandlers,
      ...projectHandlers,
      ...pipelineHandlers,
      ...scoringHandlers,
      ...modelHandlers,
    } satisfies Handlers;
  }

  /** Validates and runs one request. Malformed input yields a typed error naming the field, never an exception. */
  async call(name: unknown, args: unknown): Promise<Reply<RequestName>> {
    const parsed = parseRequest(name, args);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const handler = this.handlers[parsed.name] as unknown as (a: unknown, c: HandlerContext) => Promise<unknown>;
    try {
      const result = await handler(parsed.args, this.context());
      return { ok: true, result } as Reply<RequestName>;
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  }

  /** Typed convenience for in-process callers (CLI, tests): returns the result or throws the ApiError wrapped. */
  async request<N extends RequestName>(name: N, args: unknown): Promise<RequestResult<N>> {
    const reply = await this.call(name, args);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { apiError: reply.error });
    return reply.result as RequestResult<N>;
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  emit(event: EngineEvent): void {
    this.events.emit('event', event);
  }

  async dispose(): Promise<void> {
    await this.services.dispose();
    this.events.removeAllListeners();
  }

  private context(): HandlerContext {
    return { engine: this, services: this.services, paths: this.paths, emit: (e) => this.emit(e) };
  }
}
