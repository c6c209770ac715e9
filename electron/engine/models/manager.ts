import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CatalogEntry, EngineEvent, InstalledModel, ModelRole, ParsedArgs, RequestResult } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { HomePaths } from '../paths.ts';
import { loadCatalog } from './catalog.ts';
import { folderSize, removeFolder, tryLock } from './fsutil.ts';
import { hardwareReport } from './hardware.ts';
import { checkRoleFit, inspectModelFolder } from './inspect.ts';
import { pullModel, stagingDir, type PullDeps } from './installer.ts';
import { Limiter } from './limiter.ts';
import { checkModelId, slugId } from './names.ts';
import { listInstalled, readLinked, updateLinked, writeManifest } from './registry.ts';
import { effectiveRoles, resolveRoleEntry } from './roles.ts';
import { clearRolesFor, setRole } from './settings.ts';

export interface ModelManagerOptions {
  catalog?: CatalogEntry[];
  env?: NodeJS.ProcessEnv;
  freeBytes?: PullDeps['freeBytes'];
  /** Files downloaded at once across all pulls. */
  maxConcurrentDownloads?: number;
  /** Told when a role's model changes, so the engine can reload (the generator service). */
  onRoleChange?: (role: ModelRole, model: InstalledModel | null, removed?: InstalledModel) => Promise<void>;
}

/** The model manager one engine shares: catalog, pulls in flight (for cancel), imports, roles. */
export class ModelManager {
  private readonly limiter: Limiter;
  private readonly active = new Map<string, { controller: AbortController; keys: Set<string> }>();

  constructor(
    readonly paths: HomePaths,
    private readonly emit: (event: EngineEvent) => void,
    private readonly options: ModelManagerOptions = {},
  ) {
    this.limiter = new Limiter(options.maxConcurrentDownloads ?? 3);
  }

  catalog(): CatalogEntry[] {
    return this.options.catalog ?? loadCatalog();
  }

  async list(project?: string): Promise<RequestResult<'models.list'>> {
    return { installed: await listInstalled(this.paths), roles: await effectiveRoles(this.paths, project) };
  }

  async pull(args: ParsedArgs<'models.pull'>): Promise<InstalledModel> {
    if (this.findActive(args.idOrRepo)) fail('conflict', `${args.idOrRepo} is already being downloaded.`, { hint: 'Wait for it, or cancel it with models.cancel.' });
    const controller = new AbortController();
    const entry = { controller, keys: new Set([args.idOrRepo]) };
    const token = randomBytes(6).toString('hex');
    this.active.set(token, entry);
    try {
      return await pullModel(args, {
        paths: this.paths,
        emit: this.emit,
        limiter: this.limiter,
        signal: controller.signal,
        env: this.options.env,
        catalog: this.catalog(),
        freeBytes: this.options.freeBytes,
        onId: (id) => {
          const other = [...this.active.entries()].find(([t, a]) => t !== token && a.keys.has(id));
          if (other) fail('conflict', `${id} is already being downloaded.`, { hint: 'Wait for it, or cancel it.' });
          entry.keys.add(id);
        },
      });
    } finally {
      this.active.delete(token);
    }
  }

  /** Cancels a pull in flight (by what was asked for, or by model id); also drops a kept partial download. */
  async cancel(idOrRepo: string): Promise<boolean> {
    const a = this.findActive(idOrRepo);
    if (a) {
      a.controller.abort();
      return true;
    }
    const id = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(idOrRepo) ? idOrRepo : slugId(idOrRepo);
    const staging = stagingDir(this.paths, id);
    if (id.includes('..') || !fs.existsSync(staging)) return false;
    const unlock = await tryLock(`${staging}.lock`);
    if (!unlock) fail('conflict', `${id} is being downloaded by another Longhand process; cancel it there.`);
    try {
      await fsp.rm(staging, { recursive: true, force: true });
    } finally {
      await unlock();
    }
    return true;
  }

  private findActive(key: string) {
    for (const a of this.active.values()) if (a.keys.has(key)) return a;
    return undefined;
  }

  async import(args: ParsedArgs<'models.import'>): Promise<InstalledModel> {
    const ins = await inspectModelFolder(args.dir);
    checkRoleFit(ins, args.role);
    const installed = await listInstalled(this.paths);
    const inModels = path.resolve(ins.dir).startsWith(path.resolve(this.paths.models) + path.sep);
    if (inModels) fail('conflict', `${ins.dir} is already in the models folder.`, { file: ins.dir });
    const existing = installed.find((m) => path.resolve(m.dir) === ins.dir && m.role === args.role);
    if (existing && !args.copy) return existing;
    let id = checkModelId(slugId(path.basename(ins.dir)));
    for (let n = 2; installed.some((m) => m.id === id) || fs.existsSync(path.join(this.paths.models, id)); n++) id = `${slugId(path.basename(ins.dir))}-${n}`;
    const name = path.basename(ins.dir);
    if (!args.copy) {
      const model: InstalledModel = { id, role: args.role, dir: ins.dir, sizeBytes: await folderSize(ins.dir), source: 'import', name, kind: ins.kind, linked: true, dtype: ins.dtype };
      await updateLinked(this.paths, (list) => [...list, model]);
      this.emit({ type: 'models.changed' });
      return model;
    }
    // Copy into a staging folder, then one rename: the models folder never shows a half-copied model.
    const staging = stagingDir(this.paths, `import-${id}`);
    const finalDir = path.join(this.paths.models, id);
    try {
      await fsp.rm(staging, { recursive: true, force: true });
      // dereference: a Hugging Face cache snapshot is a folder of symlinks into blobs/; the copy must hold the bytes.
      await fsp.cp(ins.dir, staging, { recursive: true, dereference: true, errorOnExist: true, force: false, filter: (src) => src === ins.dir || !path.basename(src).startsWith('.') });
      const sizeBytes = await folderSize(staging);
      await writeManifest(staging, { id, role: args.role, sizeBytes, source: 'import', name, kind: ins.kind, dtype: ins.dtype, files: [], installedAt: new Date().toISOString() });
      await fsp.mkdir(this.paths.models, { recursive: true });
      await fsp.rename(staging, finalDir);
      this.emit({ type: 'models.changed' });
      return { id, role: args.role, dir: finalDir, sizeBytes, source: 'import', name, kind: ins.kind, dtype: ins.dtype };
    } catch (err) {
      await fsp.rm(staging, { recursive: true, force: true });
      throw err;
    }
  }

  async remove(id: string): Promise<boolean> {
    const model = (await listInstalled(this.paths)).find((m) => m.id === id);
    if (!model) return false;
    if (model.source === 'builtin') fail('bad_input', `${id} is built into Longhand and cannot be removed.`, { field: 'id' });
    // Roles first, so a loaded generator lets go of the files (Windows cannot delete files in use).
    const roles = await effectiveRoles(this.paths);
    await clearRolesFor(this.paths, id);
    for (const role of Object.keys(roles) as ModelRole[]) if (roles[role] === id) await this.options.onRoleChange?.(role, null, model);
    if ((await readLinked(this.paths)).some((m) => m.id === id)) {
      await updateLinked(this.paths, (list) => list.filter((m) => m.id !== id));
    } else {
      await removeFolder(path.join(this.paths.models, checkModelId(id)), path.join(this.paths.home, 'downloads', '.trash'));
    }
    this.emit({ type: 'models.changed' });
    return true;
  }

  /** Chooses the model for a role (globally or for a project); `none` clears the choice. */
  async use(role: ModelRole, id: string, project?: string): Promise<{ role: ModelRole; id: string }> {
    if (id === 'none') {
      await setRole(this.paths, role, null, project);
    } else {
      const model = (await listInstalled(this.paths)).find((m) => m.id === id);
      if (!model) fail('not_found', `No installed model "${id}".`, { field: 'id', hint: 'See `longhand models list`; pull or import it first.' });
      if (model.role !== role) {
        const ins = await inspectModelFolder(model.dir, model.dtype);
        checkRoleFit(ins, role);
      }
      await setRole(this.paths, role, id, project);
    }
    if (!project) await this.options.onRoleChange?.(role, await resolveRoleEntry(this.paths, role));
    this.emit({ type: 'models.changed' });
    return { role, id };
  }

  hardware(): Promise<RequestResult<'models.hardware'>> {
    return hardwareReport(this.catalog());
  }

  /** Aborts every pull in flight (engine shutdown). */
  dispose(): void {
    for (const a of this.active.values()) a.controller.abort();
  }
}
