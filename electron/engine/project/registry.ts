import path from 'node:path';
import type { EngineEvent } from '../../contract/contract.ts';
import type { HomePaths } from '../paths.ts';
import { duplicateProject } from './duplicate.ts';
import { ProjectReader } from './readonly.ts';
import { touchRecent, updateRecentSummary } from './recent.ts';
import { ProjectStore } from './store.ts';
import type { DocKind } from '../../contract/contract.ts';

/**
 * The engine's open projects: one ProjectStore per folder, shared by every request (pipeline, editor saves, exports).
 * Opening twice returns the same store; concurrent opens of one folder wait for the same promise.
 */
export class ProjectRegistry {
  private readonly stores = new Map<string, Promise<ProjectStore>>();

  constructor(
    private readonly paths: HomePaths,
    private readonly emit: (event: EngineEvent) => void,
  ) {}

  /** The open store for `dir`, opening it (lock, journal replay, recovery) on first use. */
  open(dirIn: string): Promise<ProjectStore> {
    const dir = path.resolve(dirIn);
    let p = this.stores.get(dir);
    if (!p) {
      p = ProjectStore.open(dir).then(async (store) => {
        if (store.recovered.length) this.emit({ type: 'project.recovered', dir, files: store.recovered.map((r) => r.file) });
        await touchRecent(this.paths.recent, dir, store.summary());
        return store;
      });
      this.stores.set(dir, p);
      p.catch(() => this.stores.delete(dir));
    }
    return p;
  }

  async create(dirIn: string, opts: { title: string; kind: DocKind; premise?: string }): Promise<ProjectStore> {
    const dir = path.resolve(dirIn);
    const p = ProjectStore.create(dir, opts);
    this.stores.set(dir, p);
    p.catch(() => this.stores.delete(dir));
    const store = await p;
    await touchRecent(this.paths.recent, dir, store.summary());
    return store;
  }

  /** Save as / duplicate: checkpoints the source when open here, copies it, opens the copy. */
  async duplicate(fromIn: string, to: string): Promise<ProjectStore> {
    const open = this.get(fromIn);
    if (open) await (await open).checkpoint();
    return this.open(await duplicateProject(fromIn, to));
  }

  /** The open store, if this engine has the folder open. */
  get(dirIn: string): Promise<ProjectStore> | undefined {
    return this.stores.get(path.resolve(dirIn));
  }

  /** The open store when there is one, else a read-only view (no lock taken, nothing written). */
  async read(dirIn: string): Promise<ProjectStore | ProjectReader> {
    const open = this.get(dirIn);
    return open ? await open : ProjectReader.load(dirIn);
  }

  async close(dirIn: string): Promise<boolean> {
    const dir = path.resolve(dirIn);
    const p = this.stores.get(dir);
    if (!p) return false;
    this.stores.delete(dir);
    const store = await p;
    await store.close();
    await updateRecentSummary(this.paths.recent, store.summary()).catch(() => undefined);
    return true;
  }

  async closeAll(): Promise<void> {
    const all = [...this.stores.values()];
    this.stores.clear();
    for (const p of all) {
      await p
        .then(async (s) => {
          await s.close();
          await updateRecentSummary(this.paths.recent, s.summary());
        })
        .catch(() => undefined);
    }
  }
}
