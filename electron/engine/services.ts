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

  private projectRegistry: ProjectRegistry | null = null;

  /** Open projects: one store per folder, shared by all requests; closed (checkpointed, unlocked) on dispose. */
  get projects(): ProjectRegistry {
    if (!this.projectRegistry) {
      const registry = new ProjectRegistry(this.paths, this.emit);
      this.projectRegistry = registry;
      this.onDispose(() => registry.closeAll());
    }
    return this.projectRegistry;
  }

  private generatorService: GeneratorService | null = null;

  /** The local ONNX generator: one model load shared by all requests; unloaded on dispose. */
  get generator(): GeneratorService {
    if (!this.generatorService) {
      const service = new GeneratorService(this.emit);
      this.generatorService = service;
      this.onDispose(() => service.dispose());
    }
    return this.generatorService;
  }

  private scoringService: ScoringService | null = null;

  /** Relevance model + rerankers: the model loads on first use and is shared by all requests; released on dispose. */
  get scoring(): ScoringService {
    if (!this.scoringService) {
      const service = new ScoringService(this.paths);
      this.scoringService = service;
      this.onDispose(() => service.dispose());
    }
    return this.scoringService;
  }

  private pipelineService: PipelineService | null = null;

  /** The Write loop and the plan/passage/flag/reference operations around it; running loops stop on dispose. */
  get pipeline(): PipelineService {
    if (!this.pipelineService) {
      const service = new PipelineService(this);
      this.pipelineService = service;
      this.onDispose(() => service.dispose());
    }
    return this.pipelineService;
  }

  /** Registers cleanup to run when the engine is disposed. */
  onDispose(fn: () => Promise<void> | void): void {
    this.disposers.push(fn);
  }

  async dispose(): Promise<void> {
    for (const fn of this.disposers.reverse()) await fn();
  }
}
