/**
 * The engine's scoring service: relevance models loaded lazily and shared by all requests — the relevance role's
 * model (the embedded one unless the person chose another), or a folder given per request — and rerankers built on
 * them per document kind.
 */
import type { DocKind, RerankWeights } from '../../contract/contract.ts';
import { resolveRoleModel } from '../models/roles.ts';
import type { HomePaths } from '../paths.ts';
import { embeddedRelevanceModelDir } from './embedded.ts';
import { Relevance } from './relevance.ts';
import { ScoringReranker } from './reranker.ts';

/** Models kept loaded at once; the least recently used beyond this is released. */
const MAX_LOADED = 3;

export class ScoringService {
  private readonly paths: HomePaths;
  /** Insertion order = recency (re-inserted on use). */
  private readonly loaded = new Map<string, Promise<Relevance>>();

  constructor(paths: HomePaths) {
    this.paths = paths;
  }

  /** The relevance model folder used when a request names none. */
  async defaultModelDir(project?: string): Promise<string> {
    return (await resolveRoleModel(this.paths, 'relevance', project)) ?? embeddedRelevanceModelDir();
  }

  /** The loaded relevance model for `dir` (default: the role's model). */
  async relevance(dir?: string): Promise<Relevance> {
    const want = dir ?? (await this.defaultModelDir());
    let relevance = this.loaded.get(want);
    if (relevance) {
      this.loaded.delete(want);
    } else {
      relevance = Relevance.load(want);
      // A failed load must not stick: the next request tries again (the person may fix the folder).
      relevance.catch(() => {
        if (this.loaded.get(want) === relevance) this.loaded.delete(want);
      });
    }
    this.loaded.set(want, relevance);
    while (this.loaded.size > MAX_LOADED) {
      const [oldest, model] = this.loaded.entries().next().value as [string, Promise<Relevance>];
      this.loaded.delete(oldest);
      void model.then((r) => r.dispose(), () => undefined);
    }
    return relevance;
  }

  async reranker(options: { kind?: DocKind; weights?: Partial<RerankWeights>; model?: string } = {}): Promise<ScoringReranker> {
    return new ScoringReranker(await this.relevance(options.model), options);
  }

  async dispose(): Promise<void> {
    const models = [...this.loaded.values()];
    this.loaded.clear();
    for (const m of models) await m.then((r) => r.dispose(), () => undefined);
  }
}
