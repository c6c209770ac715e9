/**
 * The engine's scoring service: one relevance model loaded lazily and shared by all requests — the relevance
 * role's model (the embedded one unless the person chose another), or a folder given per request — and rerankers
 * built on it per document kind.
 */
import type { DocKind, RerankWeights } from '../../contract/contract.ts';
import { resolveRoleModel } from '../models/roles.ts';
import type { HomePaths } from '../paths.ts';
import { embeddedRelevanceModelDir } from './embedded.ts';
import { Relevance } from './relevance.ts';
import { ScoringReranker } from './reranker.ts';

export class ScoringService {
  private readonly paths: HomePaths;
  private loaded: { dir: string; relevance: Promise<Relevance> } | null = null;

  constructor(paths: HomePaths) {
    this.paths = paths;
  }

  /** The relevance model folder used when a request names none. */
  async defaultModelDir(project?: string): Promise<string> {
    return (await resolveRoleModel(this.paths, 'relevance', project)) ?? embeddedRelevanceModelDir();
  }

  /** The loaded relevance model for `dir` (default: the role's); loading another unloads the previous one. */
  async relevance(dir?: string): Promise<Relevance> {
    const want = dir ?? (await this.defaultModelDir());
    if (this.loaded?.dir !== want) {
      const previous = this.loaded;
      const relevance = Relevance.load(want);
      this.loaded = { dir: want, relevance };
      // A failed load must not stick: the next request tries again (the person may fix the folder).
      relevance.catch(() => {
        if (this.loaded?.relevance === relevance) this.loaded = null;
      });
      if (previous) void previous.relevance.then((r) => r.dispose(), () => undefined);
    }
    return this.loaded!.relevance;
  }

  async reranker(options: { kind?: DocKind; weights?: Partial<RerankWeights>; model?: string } = {}): Promise<ScoringReranker> {
    return new ScoringReranker(await this.relevance(options.model), options);
  }

  async dispose(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (loaded) await loaded.relevance.then((r) => r.dispose(), () => undefined);
  }
}
