import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DocumentJson, Flag, Passage, PipelineState, Plan, Snapshot } from '../../contract/contract.ts';
import { Files, Manifest } from './format.ts';

/**
 * A snapshot is one file, snapshots/<id>.json: line 1 is its metadata (so listing reads only a few bytes),
 * line 2 the manuscript (manifest, plan, document, passages, flags, pipeline state, pipeline data files).
 */
export const SnapshotBody = z.object({
  manifest: Manifest,
  plan: Plan,
  document: DocumentJson.nullable(),
  passages: z.array(Passage),
  flags: z.array(Flag),
  pipeline: PipelineState,
  data: z.record(z.string(), z.unknown()).default({}),
});
export type SnapshotBody = z.infer<typeof SnapshotBody>;

export function snapshotsDir(dir: string): string {
  return path.join(dir, Files.snapshots);
}

export function encodeSnapshot(meta: Snapshot, body: SnapshotBody): string {
  return `${JSON.stringify(meta)}\n${JSON.stringify(body)}\n`;
}

function readHead(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
  } finally {
    fs.closeSync(fd);
  }
}

/** Snapshot metadata, newest first; unreadable snapshot files are skipped (and reported by `project check`). */
export function listSnapshots(dir: string): Snapshot[];
export function listSnapshots(dir: string, o: { withAuto: true }): Array<Snapshot & { auto?: boolean }>;
export function listSnapshots(dir: string, o: { withAuto?: boolean } = {}): Array<Snapshot & { auto?: boolean }> {
  let names: string[];
  try {
    names = fs.readdirSync(snapshotsDir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  } catch {
    return [];
  }
  const out: Array<Snapshot & { auto?: boolean }> = [];
  for (const n of names) {
    try {
      const head = JSON.parse(readHead(path.join(snapshotsDir(dir), n))) as { auto?: unknown };
      const meta = Snapshot.safeParse(head);
      if (meta.success && `${meta.data.id}.json` === n) out.push(o.withAuto && head.auto === true ? { ...meta.data, auto: true } : meta.data);
    } catch {
      /* skipped */
    }
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

export async function readSnapshot(dir: string, id: string): Promise<{ meta: Snapshot; body: SnapshotBody } | { error: string }> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(snapshotsDir(dir), `${id}.json`), 'utf8');
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message };
  }
  const [head, bodyText] = text.split('\n');
  try {
    const meta = Snapshot.safeParse(JSON.parse(head ?? ''));
    const body = SnapshotBody.safeParse(JSON.parse(bodyText ?? ''));
    if (!meta.success) return { error: 'bad metadata line' };
    if (!body.success) return { error: `bad content: ${body.error.issues[0]?.path.join('.')}: ${body.error.issues[0]?.message}` };
    return { meta: meta.data, body: body.data };
  } catch (err) {
    return { error: `not valid JSON (${(err as Error).message})` };
  }
}

/** The newest snapshot that reads back whole: the fallback for a damaged state file. */
export async function latestGoodSnapshot(dir: string): Promise<{ meta: Snapshot; body: SnapshotBody } | null> {
  for (const meta of listSnapshots(dir)) {
    const s = await readSnapshot(dir, meta.id);
    if ('body' in s) return s;
  }
  return null;
}
