/**
 * The engine's one loaded generator model, shared by every request: load/unload (serialized), status events,
 * and cancellable generation requests by id.
 */
import type { Dtype, EngineEvent, ExecutionProvider, GeneratorStatus, SamplingOptions } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { GenerateResult, TextGenerator } from '../services/types.ts';
import { OnnxGenerator } from './generator.ts';

export interface GeneratorLoadOptions {
  dtype?: Dtype;
  providers?: ExecutionProvider[];
}

export class GeneratorService {
  private model: OnnxGenerator | null = null;
  private loading: Promise<unknown> = Promise.resolve();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly emit: (event: EngineEvent) => void) {}

  status(): GeneratorStatus {
    return this.model?.status() ?? { loaded: false };
  }

  /** The loaded local model, or null. */
  current(): TextGenerator | null {
    return this.model;
  }

  /** The loaded local model; a clear `unavailable` error when none is. */
  require(): OnnxGenerator {
    if (!this.model) fail('unavailable', 'No generator model is loaded.', { hint: 'Load a model (generator.load) or choose one in Models.' });
    return this.model;
  }

  /** Loads `modelDir`, replacing the loaded model only once the new one has loaded. */
  load(modelDir: string, options: GeneratorLoadOptions = {}): Promise<GeneratorStatus> {
    const next = this.loading.then(async () => {
      const model = await OnnxGenerator.load(modelDir, options);
      const previous = this.model;
      this.model = model;
      await previous?.dispose();
      const status = model.status();
      this.emit({ type: 'generator.status', status });
      return status;
    });
    this.loading = next.catch(() => undefined);
    return next;
  }

  unload(): Promise<GeneratorStatus> {
    const next = this.loading.then(async () => {
      for (const c of this.running.values()) c.abort();
      const previous = this.model;
      this.model = null;
      await previous?.dispose();
      const status: GeneratorStatus = { loaded: false };
      this.emit({ type: 'generator.status', status });
      return status;
    });
    this.loading = next.catch(() => undefined);
    return next;
  }

  async generate(requestId: string, prompt: string, candidates: number, sampling: SamplingOptions): Promise<GenerateResult> {
    const model = this.require();
    if (this.running.has(requestId)) fail('conflict', `A generation with id ${requestId} is already running.`, { field: 'requestId' });
    const controller = new AbortController();
    this.running.set(requestId, controller);
    try {
      return await model.generate({
        prompt,
        candidates,
        sampling,
        signal: controller.signal,
        onText: (candidate, text) => this.emit({ type: 'generation.tokens', requestId, candidate, text }),
      });
    } finally {
      this.running.delete(requestId);
    }
  }

  cancel(requestId: string): boolean {
    const c = this.running.get(requestId);
    if (!c) return false;
    c.abort();
    return true;
  }

  async dispose(): Promise<void> {
    for (const c of this.running.values()) c.abort();
    await this.loading;
    await this.model?.dispose();
    this.model = null;
  }
}
