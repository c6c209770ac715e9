/**
 * ProjectStore — the one way to read and write a Longhand project folder (format: docs/project-format.md).
 *
 *   const store = await ProjectStore.create(dir, { title, kind, premise });   // new folder; fails `conflict` if not empty
 *   const store = await ProjectStore.open(dir);    // takes the lock (`conflict` if another live process holds it),
 *                                                  // replays the journal, sets damaged files aside → store.recovered
 *   store.plan() / savePlan(plan)                  // getters are synchronous, in memory
 *   store.passages() / acceptPassage(p) / updatePassage(p)   // upsert by id
 *   store.flags() / saveFlag(f)                    // upsert by id
 *   store.document() / saveDocument(doc)           // Lexical JSON (null until first saved)
 *   store.pipelineState() / savePipelineState(s)
 *   store.readJson(name, schema?) / writeJson(name, value)   // pipeline-owned files in data/<name>.json (templates,
 *        ledger, knowledge index, run state). `knowledge` and names starting with "cache." are left out of snapshots.
 *   store.references.add(name, text) / list() / remove(name) / text(name)
 *   store.snapshots.create(name, { auto? }) / list() / restore(id) / diff(from, to | 'current')  // word-level diff;
 *        pass { auto: true } for app-taken snapshots (before a Write run): only the newest 10 of those are kept
 *   store.summary(); await store.close();          // checkpoint, release the lock
 *
 * Every save* / accept* / update* / writeJson is durable when its promise resolves: journaled with fsync (or written
 * atomically), so a kill at any later moment loses nothing. Saves run in call order. Bad values fail with `bad_input`.
 * Use one store per folder per process (the engine's ProjectRegistry shares it); a second open in the same process
 * is a `conflict`.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  DocumentJson,
  Flag,
  Passage,
  PipelineState,
  Plan,
  type DocKind,
  type ProjectState,
  type ProjectSummary,
} from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { version } from '../version.ts';
import { copyAside, fsyncDir, removeStaleTemps, writeFileAtomic, writeJsonAtomic } from '../fs/atomic.ts';
import type { ProjectView } from './document/index.ts';
import { summarize } from './readonly.ts';
import { defaultPlan, Files, FORMAT_VERSION, idlePipeline, Manifest, safeName } from './format.ts';
import { encodeEntry, JournalWriter, type JournalOp } from './journal.ts';
import { loadProject, readJsonFile } from './load.ts';
import { acquireLock, releaseLock } from './lock.ts';
import { migrate } from './migrations.ts';
import { ReferenceStore } from './references.ts';
import { SnapshotManager } from './snapshots.ts';
import { applyOp, type Part, type ProjectData } from './state.ts';

/**
 * Data files snapshots leave out: derived from material snapshots do not version (the knowledge index is built from
 * references/), or rebuildable caches ("cache.*"). Restoring a snapshot must not put them out of step.
 */
export const unversionedData = new Set(['knowledge']);
export const isVersioned = (name: string) => !name.startsWith('cache.') && !unversionedData.has(name);

export interface Recovered {
  file: string;
  movedTo: string;
  reason: string;
}

/** Checkpoint (rewrite the state files, empty the journal) past these sizes. */
const CHECKPOINT_BYTES = 8 * 1024 * 1024;
const CHECKPOINT_ENTRIES = 400;

const partFiles: Record<Part, string> = {
  plan: Files.plan,
  document: Files.document,
  passages: Files.passages,
  flags: Files.flags,
  pipeline: Files.pipeline,
};

function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    fail('bad_input', `${what}: ${i?.path.join('.') || 'value'}: ${i?.message}`, { field: i?.path.join('.'), hint: `Pass a valid ${what} (see contract.ts).` });
  }
  return r.data;
}

export class ProjectStore implements ProjectView {
  readonly dir: string;
  readonly recovered: Recovered[];
  readonly references: ReferenceStore;
  readonly snapshots: SnapshotManager;
  private manifestValue: Manifest;
  private data: ProjectData;
  private seq: number;
  private updatedAt: string;
  private readonly dirty = new Set<Part>();
  private manifestDirty = false;
  private journal: JournalWriter;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly jsonCache = new Map<string, unknown>();
  private closed = false;
  private static readonly openDirs = new Set<string>();

  private constructor(init: { dir: string; manifest: Manifest; data: ProjectData; seq: number; updatedAt: string; journal: JournalWriter; recovered: Recovered[] }) {
    this.dir = init.dir;
    this.manifestValue = init.manifest;
    this.data = init.data;
    this.seq = init.seq;
    this.updatedAt = init.updatedAt;
    this.journal = init.journal;
    this.recovered = init.recovered;
    this.references = new ReferenceStore(this.dir);
    this.snapshots = new SnapshotManager(this, {
      body: () => this.captureBody(),
      replace: (body) => this.replaceAll(body),
      checkpoint: () => this.enqueue(() => this.checkpointNow()),
    });
  }

  // ───────────── lifecycle ─────────────

  static async create(dirIn: string, opts: { title: string; kind: DocKind; premise?: string }): Promise<ProjectStore> {
    const dir = path.resolve(dirIn);
    const existing = await fsp.readdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (existing && existing.length > 0) {
      fail('conflict', `${dir} already exists and is not empty.`, { file: dir, hint: 'Choose a new folder for the project, or open the existing one.' });
    }
    await fsp.mkdir(path.dirname(dir), { recursive: true });
    // Assembled in a temp folder beside the target and renamed into place: a crash never leaves half a project.
    const tmp = path.join(path.dirname(dir), `.${path.basename(dir)}.${randomUUID().slice(0, 8)}.partial`);
    try {
      await fsp.mkdir(path.join(tmp, Files.data), { recursive: true });
      const now = new Date().toISOString();
      const plan = defaultPlan(opts.kind, opts.title, opts.premise ?? '');
      await writeJsonAtomic(path.join(tmp, Files.plan), plan);
      await writeJsonAtomic(path.join(tmp, Files.passages), []);
      await writeJsonAtomic(path.join(tmp, Files.flags), []);
      await writeJsonAtomic(path.join(tmp, Files.pipeline), idlePipeline);
      await writeJsonAtomic(path.join(tmp, Files.checkpoint), { seq: 0, at: now });
      const manifest: Manifest = { format: 'longhand-project', formatVersion: FORMAT_VERSION, appVersion: version, id: randomUUID(), kind: opts.kind, title: opts.title, createdAt: now, updatedAt: now };
      await writeJsonAtomic(path.join(tmp, Files.manifest), manifest);
      if (existing) await fsp.rmdir(dir);
      await fsp.rename(tmp, dir);
    } catch (err) {
      await fsp.rm(tmp, { recursive: true, force: true });
      throw err;
    }
    await fsyncDir(path.dirname(dir));
    return ProjectStore.open(dir);
  }

  static async open(dirIn: string): Promise<ProjectStore> {
    const dir = path.resolve(dirIn);
    if (ProjectStore.openDirs.has(dir)) {
      fail('conflict', `The project ${dir} is already open in this process.`, { file: dir, hint: 'Use the open store (the engine shares one per folder).' });
    }
    const lockFile = path.join(dir, Files.lock);
    // Read-only first: a missing or newer project fails before anything (even the lock) is written.
    const first = await readJsonFile(path.join(dir, Files.manifest), Manifest);
    if (!('value' in first) || first.value.formatVersion >= FORMAT_VERSION) await loadProject(dir);
    await acquireLock(dir, lockFile);
    ProjectStore.openDirs.add(dir);
    try {
      return await ProjectStore.openLocked(dir);
    } catch (err) {
      ProjectStore.openDirs.delete(dir);
      await releaseLock(lockFile);
      throw err;
    }
  }

  private static async openLocked(dir: string): Promise<ProjectStore> {
    await removeStaleTemps(dir);
    await removeStaleTemps(path.join(dir, Files.data));
    await removeStaleTemps(path.join(dir, Files.snapshots));
    // An older format is migrated before anything is read with this build's schemas.
    const m = await readJsonFile(path.join(dir, Files.manifest), Manifest);
    if ('value' in m && m.value.formatVersion < FORMAT_VERSION) await migrate(dir, m.value);
    const loaded = await loadProject(dir);
    const recovered: Recovered[] = [];
    const journalFile = path.join(dir, Files.journal);
    for (const p of loaded.problems) {
      if (p.severity !== 'damaged') continue;
      const file = path.join(dir, p.file);
      if (p.file === Files.journal) {
        recovered.push({ file: p.file, movedTo: path.relative(dir, await copyAside(journalFile)), reason: p.reason });
        continue;
      }
      // Copied aside, not moved: the file is replaced by the checkpoint below, so a crash in between repeats the recovery.
      const movedTo = fs.existsSync(file) ? await copyAside(file) : '(missing)';
      recovered.push({ file: p.file, movedTo: movedTo === '(missing)' ? movedTo : path.relative(dir, movedTo), reason: `${p.reason}; used ${p.replacedBy ?? 'defaults'} instead` });
    }
    // Pipeline data files that do not parse are set aside now, so the person is told at open (not at some later read).
    const dataDir = path.join(dir, Files.data);
    for (const name of fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : []) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const file = path.join(dataDir, name);
      const r = await readJsonFile(file, z.unknown());
      if (!('damaged' in r)) continue;
      const aside = await copyAside(file);
      await fsp.rm(file);
      recovered.push({ file: `${Files.data}/${name}`, movedTo: path.relative(dir, aside), reason: `${Files.data}/${name} ${r.damaged}; it will be started afresh` });
    }
    // Keep only the valid entries so later appends never follow a torn or damaged line.
    if (loaded.journal.badLines.length) {
      await writeFileAtomic(journalFile, loaded.journal.entries.map(encodeEntry).join(''));
    } else if (loaded.journal.tornTail) {
      const h = await fsp.open(journalFile, 'r+');
      try {
        await h.truncate(loaded.journal.validBytes);
        await h.sync();
      } finally {
        await h.close();
      }
    }
    const manifest = loaded.manifest;
    const journal = await JournalWriter.open(journalFile, loaded.journal.entries.length);
    const store = new ProjectStore({ dir, manifest, data: loaded.data, seq: loaded.lastSeq, updatedAt: loaded.updatedAt, journal, recovered });
    // What the journal replay changed is only in the journal: the next checkpoint must write it before emptying it.
    for (const part of loaded.replayed) store.dirty.add(part);
    if (recovered.length > 0) {
      // Rewrite every state file now, so what was set aside is replaced on disk too.
      for (const p of Object.keys(partFiles) as Part[]) store.dirty.add(p);
      store.manifestDirty = true;
      await store.enqueue(() => store.checkpointNow());
    }
    return store;
  }

  /** Checkpoints, closes the journal and releases the lock. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.enqueue(() => this.checkpointNow());
    this.closed = true;
    await this.journal.close();
    ProjectStore.openDirs.delete(this.dir);
    await releaseLock(path.join(this.dir, Files.lock));
  }

  // ───────────── reads ─────────────

  manifest(): Manifest {
    return this.manifestValue;
  }
  plan(): Plan {
    return this.data.plan;
  }
  passages(): Passage[] {
    return this.data.passages;
  }
  flags(): Flag[] {
    return this.data.flags;
  }
  document(): DocumentJson | null {
    return this.data.document;
  }
  pipelineState(): PipelineState {
    return this.data.pipeline;
  }

  summary(): ProjectSummary {
    return summarize(this, this.updatedAt);
  }

  state(): ProjectState {
    return {
      summary: this.summary(),
      plan: this.data.plan,
      document: this.data.document,
      passages: this.data.passages,
      flags: this.data.flags,
      pipeline: this.data.pipeline,
      recovered: this.recovered,
    };
  }

  // ───────────── writes ─────────────

  async savePlan(plan: Plan): Promise<void> {
    return this.mutate({ op: 'plan', plan: checked(Plan, plan, 'plan') });
  }
  async acceptPassage(p: Passage): Promise<void> {
    return this.mutate({ op: 'passage', passage: checked(Passage, p, 'passage') });
  }
  async updatePassage(p: Passage): Promise<void> {
    const passage = checked(Passage, p, 'passage');
    return this.mutate({ op: 'passage', passage }, () => {
      if (!this.data.passages.some((x) => x.id === passage.id)) {
        fail('not_found', `No passage ${JSON.stringify(passage.id)} in this project.`, { field: 'id', hint: 'Accept it first (acceptPassage).' });
      }
    });
  }
  async saveFlag(f: Flag): Promise<void> {
    return this.mutate({ op: 'flag', flag: checked(Flag, f, 'flag') });
  }
  async saveDocument(doc: DocumentJson): Promise<void> {
    return this.mutate({ op: 'document', document: checked(DocumentJson, doc, 'document') });
  }
  async savePipelineState(s: PipelineState): Promise<void> {
    return this.mutate({ op: 'pipeline', state: checked(PipelineState, s, 'pipeline state') });
  }

  /** A pipeline-owned JSON file (data/<name>.json); null when absent. A damaged one is set aside and reported. */
  readJson<T = unknown>(name: string, schema?: z.ZodType<T>): T | null {
    safeName(name, 'Data file');
    let value: unknown;
    if (this.jsonCache.has(name)) value = this.jsonCache.get(name);
    else {
      const file = path.join(this.dir, Files.data, `${name}.json`);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      try {
        value = JSON.parse(text);
      } catch (err) {
        this.setAsideSync(file, `data/${name}.json is not valid JSON (${(err as Error).message})`);
        return null;
      }
      this.jsonCache.set(name, value);
    }
    if (!schema) return value as T;
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  async writeJson(name: string, value: unknown): Promise<void> {
    safeName(name, 'Data file');
    const text = JSON.stringify(value);
    if (text === undefined) fail('bad_input', `data/${name}.json: the value is not JSON-serializable.`, { field: 'value' });
    return this.enqueue(async () => {
      await writeFileAtomic(path.join(this.dir, Files.data, `${name}.json`), text + '\n');
      this.jsonCache.set(name, JSON.parse(text));
    });
  }

  /** The names of the pipeline data files (without .json). */
  dataNames(): string[] {
    try {
      return fs
        .readdirSync(path.join(this.dir, Files.data))
        .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
        .map((n) => n.slice(0, -5));
    } catch {
      return [];
    }
  }

  /** Forces a checkpoint now (state files rewritten, journal emptied). */
  checkpoint(): Promise<void> {
    return this.enqueue(() => this.checkpointNow());
  }

  // ───────────── internals ─────────────

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) fail('conflict', `The project ${this.dir} is closed.`, { file: this.dir, hint: 'Open it again.' });
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private mutate(op: JournalOp, precondition?: () => void): Promise<void> {
    return this.enqueue(async () => {
      precondition?.();
      const entry = { ...op, seq: this.seq + 1, at: new Date().toISOString() };
      await this.journal.append(entry);
      this.seq = entry.seq;
      this.updatedAt = entry.at;
      for (const p of applyOp(this.data, entry)) this.dirty.add(p);
      if (op.op === 'plan' && op.plan.title && op.plan.title !== this.manifestValue.title) this.manifestDirty = true;
      if (this.journal.bytes > CHECKPOINT_BYTES || this.journal.count > CHECKPOINT_ENTRIES) await this.checkpointNow();
    });
  }

  private async checkpointNow(): Promise<void> {
    if (this.dirty.size === 0 && !this.manifestDirty && this.journal.count === 0) return;
    for (const part of this.dirty) await writeJsonAtomic(path.join(this.dir, partFiles[part]), this.data[part]);
    this.dirty.clear();
    if (this.manifestDirty || this.manifestValue.updatedAt !== this.updatedAt) {
      this.manifestValue = { ...this.manifestValue, title: this.data.plan.title || this.manifestValue.title, kind: this.data.plan.kind, updatedAt: this.updatedAt, appVersion: version };
      await writeJsonAtomic(path.join(this.dir, Files.manifest), this.manifestValue);
      this.manifestDirty = false;
    }
    await writeJsonAtomic(path.join(this.dir, Files.checkpoint), { seq: this.seq, at: new Date().toISOString() });
    await this.journal.truncate();
  }

  private setAsideSync(file: string, reason: string): void {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const movedTo = `${file}.damaged-${stamp}`;
    fs.renameSync(file, movedTo);
    this.recovered.push({ file: path.relative(this.dir, file), movedTo: path.relative(this.dir, movedTo), reason });
  }

  private captureBody() {
    const data: Record<string, unknown> = {};
    for (const n of this.dataNames()) if (isVersioned(n)) data[n] = this.readJson(n);
    return { manifest: this.manifestValue, ...this.data, data };
  }

  private async replaceAll(body: Omit<ProjectData, never> & { data: Record<string, unknown> }): Promise<void> {
    await this.mutate({ op: 'replace', plan: body.plan, document: body.document, passages: body.passages, flags: body.flags, pipeline: body.pipeline });
    for (const [name, value] of Object.entries(body.data)) if (value !== null) await this.writeJson(name, value);
    // Versioned files the snapshot did not have (the "Before restoring" snapshot holds them).
    for (const name of this.dataNames()) {
      if (!isVersioned(name) || name in body.data) continue;
      await this.enqueue(async () => {
        await fsp.rm(path.join(this.dir, Files.data, `${name}.json`), { force: true });
        await fsyncDir(path.join(this.dir, Files.data));
        this.jsonCache.delete(name);
      });
    }
    await this.enqueue(() => this.checkpointNow());
  }
}
