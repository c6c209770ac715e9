import fsp from 'node:fs/promises';
import path from 'node:path';
import { diffWords } from 'diff';
import type { Snapshot } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import { countWords, documentModel, lexicalToBlocks, modelText, reconcileDocument, type ProjectView } from './document/index.ts';
import { safeName } from './format.ts';
import { encodeSnapshot, listSnapshots, readSnapshot, snapshotsDir, type SnapshotBody } from './snapshot-file.ts';

/** Automatic snapshots kept per project (the newest). */
export const KEEP_AUTO = 10;

export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** What the manager needs from the store (kept narrow so the store's internals stay private). */
export interface SnapshotHost {
  body(): SnapshotBody;
  replace(body: SnapshotBody): Promise<void>;
  checkpoint(): Promise<void>;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'snapshot'
  );
}

function bodyText(body: SnapshotBody): string {
  const doc = reconcileDocument(body.document, body.plan, body.passages);
  return modelText(lexicalToBlocks(doc));
}

/** Named snapshots of the manuscript (snapshots/<id>.json), newest first. */
export class SnapshotManager {
  constructor(
    private readonly view: ProjectView,
    private readonly host: SnapshotHost,
  ) {}

  /**
   * Takes a snapshot. `auto: true` marks one taken by the app (before a Write run, before a restore): only the newest
   * KEEP_AUTO of those are kept; the person's named snapshots are never pruned.
   */
  async create(name: string, opts: { auto?: boolean } = {}): Promise<Snapshot> {
    const trimmed = name.trim();
    if (!trimmed) fail('bad_input', 'A snapshot needs a name.', { field: 'name' });
    await this.host.checkpoint();
    const body = this.host.body();
    const now = new Date();
    const dir = snapshotsDir(this.view.dir);
    await fsp.mkdir(dir, { recursive: true });
    const base = `${now.toISOString().replace(/[-:.]/g, '').replace('T', '-')}-${slug(trimmed)}`;
    let id = base;
    for (let i = 2; await fsp.stat(path.join(dir, `${id}.json`)).then(() => true, () => false); i++) id = `${base}-${i}`;
    const meta: Snapshot = { id, name: trimmed.slice(0, 200), createdAt: now.toISOString(), words: countWords(modelText(documentModel(this.view).blocks.filter((b) => b.type !== 'heading'))) };
    await writeFileAtomic(path.join(dir, `${id}.json`), encodeSnapshot({ ...meta, ...(opts.auto ? { auto: true } : {}) }, body));
    if (opts.auto) await this.pruneAuto();
    return meta;
  }

  private async pruneAuto(): Promise<void> {
    const auto = listSnapshots(this.view.dir, { withAuto: true }).filter((x) => x.auto);
    for (const old of auto.slice(KEEP_AUTO)) await fsp.rm(path.join(snapshotsDir(this.view.dir), `${old.id}.json`), { force: true });
  }

  list(): Snapshot[] {
    return listSnapshots(this.view.dir);
  }

  private async load(id: string, field: string) {
    safeName(id, 'Snapshot', field);
    const s = await readSnapshot(this.view.dir, id);
    if ('error' in s) {
      if (s.error === 'not found') fail('not_found', `No snapshot ${JSON.stringify(id)} in this project.`, { field, hint: 'List them with project.snapshot.list.' });
      fail('bad_input', `Snapshot ${id} cannot be read: ${s.error}.`, { field, file: path.join(snapshotsDir(this.view.dir), `${id}.json`), hint: 'Choose another snapshot.' });
    }
    return s;
  }

  /** Restores a snapshot; the current state is snapshotted first ("Before restoring …"), so a restore is undoable. */
  async restore(id: string): Promise<Snapshot> {
    const target = await this.load(id, 'id');
    await this.create(`Before restoring “${target.meta.name}”`, { auto: true });
    await this.host.replace(target.body);
    return target.meta;
  }

  /** Word-level diff of the document text between two snapshots, or a snapshot and the current state. */
  async diff(from: string, to: string | 'current'): Promise<DiffPart[]> {
    const a = bodyText((await this.load(from, 'from')).body);
    const b = to === 'current' ? bodyText(this.host.body()) : bodyText((await this.load(to, 'to')).body);
    const out: DiffPart[] = [];
    for (const c of diffWords(a, b)) {
      const op = c.added ? 'insert' : c.removed ? 'delete' : 'equal';
      const last = out[out.length - 1];
      if (last && last.op === op) last.text += c.value;
      else out.push({ op, text: c.value });
    }
    return out;
  }
}
