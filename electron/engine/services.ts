import type { EngineEvent } from '../contract/contract.ts';
import type { HomePaths } from './paths.ts';
import type { HtmlToPdf } from './export/pdf.ts';
import { ProjectRegistry } from './project/registry.ts';
import { GeneratorService } from './inference/service.ts';
import { ScoringService } from './scoring/service.ts';
import { PipelineService } from './pipeline/service.ts';

/**
 * The long-lived services one engine shares across requests (one model load for all requests, open projects…).
 * Each area adds its service here as a lazily created member.
 */
export class Services {
  readonly paths: HomePaths;
  readonly emit: (event: EngineEvent) => void;
  private readonly disposers: Array<() => Promise<void> | void> = [];
  /**
   * How HTML becomes PDF for exports. Unset: headless Chromium (Node and browser mode). The Electron host sets it
   * to the main process's printToPDF, so the desktop app needs no separate Chromium.
   */
  htmlToPdf: HtmlToPdf | null = null;

  constructor(paths: HomePaths, emit: (event: EngineEvent) => void) {
    this.paths = paths;
    this.emit = emit;
  }

  private readonly instances = new Map<string, unknown>();

  /** One instance per engine, created on first use; its cleanup runs when the engine is disposed. */
  private lazy<T>(key: string, create: () => T, cleanup: (service: T) => Promise<void> | void): T {
    if (!this.instances.has(key)) {
      const service = create();
      this.instances.set(key, service);
      this.onDispose(() => cleanup(service));
    }
    return this.instances.get(key) as T;
  }

  /** Open projects: one store per folder, shared by all requests; closed (checkpointed, unlocked) on dispose. */
  get projects(): ProjectRegistry {
    return this.lazy('projects', () => new ProjectRegistry(this.paths, this.emit), (r) => r.closeAll());
  }

  /** The local ONNX generator: one model load shared by all requests; unloaded on dispose. */
  get generator(): GeneratorService {
    return this.lazy('generator', () => new GeneratorService(this.emit), (s) => s.dispose());
  }

  /** Relevance model + rerankers: the model loads on first use and is shared by all requests; released on dispose. */
  get scoring(): ScoringService {
    return this.lazy('scoring', () => new ScoringService(this.paths), (s) => s.dispose());
  }

  /** The Write loop and the plan/passage/flag/reference operations around it; running loops stop on dispose. */
  get pipeline(): PipelineService {
    return this.lazy('pipeline', () => new PipelineService(this), (s) => s.dispose());
  }

  /** Registers cleanup to run when the engine is disposed. */
  onDispose(fn: () => Promise<void> | void): void {
    this.disposers.push(fn);
  }

  async dispose(): Promise<void> {
    for (const fn of this.disposers.reverse()) await fn();
  }
}
