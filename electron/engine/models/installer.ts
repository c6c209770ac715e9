import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CatalogEntry, Dtype, EngineEvent, InstalledModel, ModelRole } from '../../contract/contract.ts';
import { fail, LonghandError } from '../errors.ts';
import type { HomePaths } from '../paths.ts';
import { findCatalogEntry, loadCatalog } from './catalog.ts';
import { downloadFile } from './download.ts';
import { folderSize, tryLock } from './fsutil.ts';
import { hubOptions, listTree, resolveUrl, type HubOptions, type TreeFile } from './hub.ts';
import type { Limiter } from './limiter.ts';
import { checkModelId, checkRepoId, checkRevision, isRepoId, slugId } from './names.ts';
import { manifestName, writeManifest, type Manifest } from './registry.ts';
import { selectFiles } from './select-files.ts';

export interface PullRequest {
  idOrRepo: string;
  revision?: string;
  dtype?: Dtype;
  role?: ModelRole;
  endpoint?: string;
}

export interface PullDeps {
  paths: HomePaths;
  emit: (event: EngineEvent) => void;
  limiter: Limiter;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  catalog?: CatalogEntry[];
  /** Free bytes where models are written (fs.statfs by default; tests simulate a full disk with it). */
  freeBytes?: (dir: string) => Promise<number>;
  retries?: number;
  idleTimeoutMs?: number;
  /** Called once the model's id is known (before any byte is fetched), so it can be cancelled by id too. */
  onId?: (id: string) => void;
}

/** What will be fetched for a pull: from the catalog, or chosen from a repo listing. */
export interface PullPlan {
  id: string;
  name: string;
  role: ModelRole;
  repo: string;
  revision: string;
  dtype?: Dtype;
  files: TreeFile[];
  hub: HubOptions;
}

/** Keep this much free beyond the model itself. */
const diskMargin = 64 * 2 ** 20;

export function stagingDir(paths: HomePaths, id: string): string {
  return path.join(paths.home, 'downloads', id);
}

export async function planPull(req: PullRequest, deps: Pick<PullDeps, 'env' | 'catalog' | 'signal'>): Promise<PullPlan> {
  const catalog = deps.catalog ?? loadCatalog();
  const hub = hubOptions(req.endpoint, deps.env);
  const entry = findCatalogEntry(req.idOrRepo, catalog);
  if (entry) {
    if (req.role && req.role !== entry.role) fail('bad_input', `${entry.id} is a ${entry.role} model, not a ${req.role} model.`, { field: 'role' });
    if (req.dtype && entry.dtype && req.dtype !== entry.dtype) {
      fail('bad_input', `The catalog entry ${entry.id} is the ${entry.dtype} variant.`, { field: 'dtype', hint: `Pull the repo instead for another variant: longhand models pull ${entry.repo} --dtype ${req.dtype}` });
    }
    const revision = checkRevision(req.revision ?? entry.revision);
    const tree = await listTree(hub, entry.repo, revision, deps.signal);
    const files = entry.files.map((f): TreeFile => {
      const listed = tree.find((t) => t.path === f.path);
      if (!listed) fail('not_found', `${entry.repo}@${revision} has no file "${f.path}" (named by the catalog entry ${entry.id}).`, { file: f.path, hint: 'The catalog is out of date with the hub; pin another revision with --revision.' });
      if (f.size !== undefined && f.size !== listed.size) fail('bad_input', `The hub lists ${listed.size} bytes for "${f.path}", the catalog ${f.size}.`, { file: f.path, hint: 'The revision changed since the catalog was written.' });
      if (f.sha256 && listed.sha256 && f.sha256 !== listed.sha256) fail('bad_input', `The hub's sha256 for "${f.path}" differs from the catalog's.`, { file: f.path });
      return { path: f.path, size: listed.size, sha256: f.sha256 ?? listed.sha256 };
    });
    return { id: entry.id, name: entry.name, role: entry.role, repo: entry.repo, revision, dtype: entry.dtype, files, hub };
  }
  if (!isRepoId(req.idOrRepo)) {
    checkRepoId(req.idOrRepo, 'idOrRepo');
  }
  const repo = req.idOrRepo;
  const revision = checkRevision(req.revision ?? 'main');
  const role = req.role ?? 'generator';
  const tree = await listTree(hub, repo, revision, deps.signal);
  const sel = selectFiles(tree, role, req.dtype, repo);
  const id = checkModelId(slugId(`${repo}-${sel.dtype}`));
  return { id, name: repo.split('/')[1] ?? repo, role, repo, revision, dtype: sel.dtype, files: sel.files, hub };
}

/**
 * Pulls a model: plan, disk check, downloads into downloads/<id>/ (resumable, verified), manifest, then one atomic
 * rename into models/<id>. The models folder therefore holds complete models only. On cancel the staging folder is
 * removed; on a network failure it is kept so the next pull resumes; on bad data it is removed.
 */
export async function pullModel(req: PullRequest, deps: PullDeps): Promise<InstalledModel> {
  // A catalog entry already installed needs no network at all.
  const entry = findCatalogEntry(req.idOrRepo, deps.catalog ?? loadCatalog());
  const installedDir = entry && path.join(deps.paths.models, entry.id);
  if (entry && installedDir && !req.revision && fs.existsSync(path.join(installedDir, manifestName))) {
    return { id: entry.id, role: entry.role, dir: installedDir, sizeBytes: await folderSize(installedDir), source: 'hub', name: entry.name, repo: entry.repo, revision: entry.revision, dtype: entry.dtype };
  }
  const plan = await planPull(req, deps);
  deps.onId?.(plan.id);
  const finalDir = path.join(deps.paths.models, plan.id);
  if (fs.existsSync(path.join(finalDir, manifestName))) {
    return { id: plan.id, role: plan.role, dir: finalDir, sizeBytes: await folderSize(finalDir), source: 'hub', name: plan.name, repo: plan.repo, revision: plan.revision, dtype: plan.dtype };
  }
  const staging = stagingDir(deps.paths, plan.id);
  const unlock = await tryLock(`${staging}.lock`);
  if (!unlock) fail('conflict', `${plan.id} is already being downloaded by another Longhand process.`, { hint: 'Wait for it to finish (or stop it), then try again.' });
  try {
    return await pullInto(plan, staging, finalDir, req, deps);
  } finally {
    await unlock();
  }
}

async function pullInto(plan: PullPlan, staging: string, finalDir: string, req: PullRequest, deps: PullDeps): Promise<InstalledModel> {
  const targets = plan.files.map((f) => {
    const dest = path.join(staging, ...f.path.split('/'));
    if (!dest.startsWith(staging + path.sep)) fail('bad_input', `Refusing "${f.path}": it resolves outside the model folder.`, { file: f.path });
    return { file: f, dest };
  });

  // Disk space: what is still to come, against what is free.
  const total = plan.files.reduce((s, f) => s + f.size, 0);
  let already = 0;
  for (const t of targets) already += await fsp.stat(t.dest).then((s) => s.size, () => fsp.stat(`${t.dest}.part`).then((s) => s.size, () => 0));
  await fsp.mkdir(deps.paths.home, { recursive: true });
  const free = await (deps.freeBytes ?? statfsFree)(deps.paths.home);
  if (total - already + diskMargin > free) {
    fail('limit', `Not enough disk space for ${plan.id}: it needs ${mb(total - already + diskMargin)} and ${mb(free)} is free.`, {
      file: deps.paths.home,
      hint: 'Free some space (or remove models you no longer use with `longhand models remove`), then pull again.',
    });
  }

  const progress = progressReporter(req.idOrRepo, total, deps.emit);
  const doneBytes = new Map<string, number>();
  // One failed file stops the others (and a cancel stops all) before the staging folder is cleaned up.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  deps.signal?.addEventListener('abort', onAbort);
  const signal = stop.signal;
  try {
    await fsp.mkdir(staging, { recursive: true });
    await allOrFirstError(
      stop,
      targets.map(({ file, dest }) =>
        deps.limiter.run(async () => {
          if (signal.aborted) throw Object.assign(new Error('Cancelled.'), { name: 'AbortError' });
          await fsp.mkdir(path.dirname(dest), { recursive: true });
          const done = await fsp.stat(dest).then((s) => s.size === file.size, () => false);
          if (!done) {
            await downloadFile(
              { name: file.path, url: resolveUrl(plan.hub, plan.repo, plan.revision, file.path), dest, size: file.size, sha256: file.sha256 },
              {
                hub: plan.hub,
                signal,
                retries: deps.retries,
                idleTimeoutMs: deps.idleTimeoutMs,
                onBytes: (bytes) => {
                  doneBytes.set(file.path, bytes);
                  progress(file.path, sum(doneBytes), 'downloading');
                },
              },
            );
          }
          doneBytes.set(file.path, file.size);
          progress(file.path, sum(doneBytes), 'downloading');
        }),
      ),
    );
    await checkConfigFitsRole(path.join(staging, 'config.json'), plan);
    const manifest: Manifest = {
      id: plan.id,
      role: plan.role,
      sizeBytes: total,
      source: 'hub',
      name: plan.name,
      repo: plan.repo,
      revision: plan.revision,
      dtype: plan.dtype,
      files: plan.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
      installedAt: new Date().toISOString(),
    };
    await writeManifest(staging, manifest);
    await fsp.mkdir(deps.paths.models, { recursive: true });
    try {
      await fsp.rename(staging, finalDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (err as NodeJS.ErrnoException).code === 'EEXIST') {
        fail('conflict', `models/${plan.id} appeared while downloading.`, { file: finalDir, hint: 'Remove it and pull again.' });
      }
      throw err;
    }
    progress('', total, 'installed', true);
    deps.emit({ type: 'models.changed' });
    return { id: plan.id, role: plan.role, dir: finalDir, sizeBytes: total, source: 'hub', name: plan.name, repo: plan.repo, revision: plan.revision, dtype: plan.dtype };
  } catch (err) {
    const cancelled = deps.signal?.aborted === true;
    const keep = !cancelled && err instanceof LonghandError && err.apiError.code === 'network';
    if (!keep) await fsp.rm(staging, { recursive: true, force: true });
    progress('', sum(doneBytes), cancelled ? 'cancelled' : 'failed', true);
    if (cancelled) fail('cancelled', `The download of ${plan.id} was cancelled; nothing was installed.`);
    throw err;
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
  }
}

/** Like Promise.all, but on the first failure aborts the rest and waits for them to settle before rejecting with it. */
async function allOrFirstError(stop: AbortController, jobs: Array<Promise<void>>): Promise<void> {
  let first: { err: unknown } | null = null;
  await Promise.all(
    jobs.map((j) =>
      j.catch((err: unknown) => {
        // A sibling's failure shows up here as an abort; keep the error that caused it.
        if (!first && !(stop.signal.aborted && (err as Error).name === 'AbortError')) first = { err };
        stop.abort();
      }),
    ),
  );
  if (first) throw (first as { err: unknown }).err;
  if (stop.signal.aborted) throw Object.assign(new Error('Cancelled.'), { name: 'AbortError' });
}

/**
 * A cheap check, before installing, that the repo's architecture suits the role (a full ONNX inspection happens when
 * the model is loaded): a causal LM for the generator, anything but one for relevance/NLI.
 */
async function checkConfigFitsRole(configPath: string, plan: PullPlan): Promise<void> {
  let architectures: string[] = [];
  try {
    const config = JSON.parse(await fsp.readFile(configPath, 'utf8')) as { architectures?: unknown };
    if (Array.isArray(config.architectures)) architectures = config.architectures.filter((a): a is string => typeof a === 'string');
  } catch {
    fail('bad_input', `${plan.repo}: config.json is not valid JSON.`, { file: 'config.json' });
  }
  if (architectures.length === 0) return;
  const causal = architectures.some((a) => /ForCausalLM$|LMHeadModel$/.test(a));
  if (plan.role === 'generator' && !causal) {
    fail('bad_input', `${plan.repo} is a ${architectures.join('/')}, not a text generator; nothing was installed.`, { field: 'role', hint: 'Pull it with --role relevance (or nli), or choose a …ForCausalLM model for the generator.' });
  }
  if (plan.role !== 'generator' && causal) {
    fail('bad_input', `${plan.repo} is a text generator (${architectures.join('/')}), not a ${plan.role} model; nothing was installed.`, { field: 'role', hint: 'Pull it with --role generator.' });
  }
}

function sum(m: Map<string, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}

function mb(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.ceil(bytes / 2 ** 20)} MB`;
}

async function statfsFree(dir: string): Promise<number> {
  const s = await fsp.statfs(dir);
  return s.bavail * s.bsize;
}

/** download.progress events, at most ~8 a second, with speed and ETA over the whole pull. */
function progressReporter(idOrRepo: string, total: number, emit: (e: EngineEvent) => void) {
  const started = Date.now();
  let first: number | null = null;
  let last = 0;
  return (file: string, bytes: number, state: 'downloading' | 'installed' | 'failed' | 'cancelled', force = false) => {
    const now = Date.now();
    first ??= bytes;
    if (!force && now - last < 125 && bytes < total) return;
    last = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    const bytesPerSecond = Math.max(0, bytes - first) / seconds;
    const etaSeconds = bytesPerSecond > 0 ? Math.max(0, (total - bytes) / bytesPerSecond) : undefined;
    emit({ type: 'download.progress', idOrRepo, file, bytes, total, bytesPerSecond, etaSeconds, state });
  };
}
