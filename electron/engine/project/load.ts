import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DocumentJson, Flag, Passage, PipelineState, Plan, type DocKind } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { version } from '../version.ts';
import { Checkpoint, defaultPlan, Files, FORMAT_VERSION, idlePipeline, Manifest } from './format.ts';
import { readJournal, type JournalRead } from './journal.ts';
import { assertReadable } from './migrations.ts';
import { latestGoodSnapshot, type SnapshotBody } from './snapshot-file.ts';
import { applyOp, type Part, type ProjectData } from './state.ts';

export interface Problem {
  /** Path relative to the project folder. */
  file: string;
  reason: string;
  /** `damaged`: a file that must be set aside; `note`: harmless residue (a torn journal tail after a kill). */
  severity: 'damaged' | 'note';
  /** Where its content came from instead. */
  replacedBy?: string;
}

export interface LoadedProject {
  dir: string;
  manifest: Manifest;
  data: ProjectData;
  checkpointSeq: number;
  lastSeq: number;
  updatedAt: string;
  journal: JournalRead;
  /** Parts the replayed journal entries changed: not yet in the state files. */
  replayed: Set<Part>;
  problems: Problem[];
}

type Fallback = () => Promise<{ body: SnapshotBody; id: string } | null>;

async function readText(file: string): Promise<string | null> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function describe(err: z.ZodError | Error): string {
  if (err instanceof z.ZodError) {
    const i = err.issues[0];
    return `does not match the format (${i?.path.join('.') || 'top level'}: ${i?.message})`;
  }
  return `is not valid JSON (${err.message}); it may be truncated`;
}

/** Parses one JSON file against its schema; `undefined` when missing, an Error-ish reason when damaged. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<{ value: T } | { missing: true } | { damaged: string }> {
  const text = await readText(file);
  if (text === null) return { missing: true };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { damaged: describe(err as Error) };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { value: parsed.data } : { damaged: describe(parsed.error) };
}

/** Reads the manifest, or fails with not_found when the folder is not a project at all. */
async function loadManifest(dir: string, problems: Problem[], fallback: Fallback): Promise<Manifest> {
  const file = path.join(dir, Files.manifest);
  const r = await readJsonFile(file, Manifest);
  if ('value' in r) return r.value;
  if ('missing' in r) {
    if (!fs.existsSync(dir)) fail('not_found', `No project folder at ${dir}.`, { file: dir, hint: 'Check the path, or create a project with project.create.' });
    fail('not_found', `${dir} is not a Longhand project (it has no ${Files.manifest}).`, { file: dir, hint: 'Choose the project folder itself (the one holding manifest.json).' });
  }
  // A newer manifest we cannot fully parse must not be mistaken for damage: refuse it untouched.
  try {
    const v = (JSON.parse((await readText(file)) ?? '') as { formatVersion?: unknown }).formatVersion;
    if (typeof v === 'number' && v > FORMAT_VERSION) assertReadable(dir, { formatVersion: v } as Manifest);
  } catch (err) {
    if ((err as { apiError?: unknown }).apiError) throw err;
  }
  const snap = await fallback();
  const now = new Date().toISOString();
  const manifest: Manifest = snap?.body.manifest ?? {
    format: 'longhand-project',
    formatVersion: FORMAT_VERSION,
    appVersion: version,
    id: path.basename(dir),
    kind: 'story',
    title: path.basename(dir),
    createdAt: now,
    updatedAt: now,
  };
  problems.push({ file: Files.manifest, reason: `${Files.manifest} ${r.damaged}`, severity: 'damaged', replacedBy: snap ? `snapshot ${snap.id}` : 'defaults' });
  return manifest;
}

/** `optional`: a file that may legitimately be absent (document.json before the first save). */
async function loadPart<T>(dir: string, name: string, schema: z.ZodType<T>, fromSnapshot: (b: SnapshotBody) => T, initial: T, problems: Problem[], fallback: Fallback, optional = false): Promise<T> {
  const r = await readJsonFile(path.join(dir, name), schema);
  if ('value' in r) return r.value;
  if ('missing' in r && optional) return initial;
  const snap = await fallback();
  const reason = 'missing' in r ? `${name} is missing` : `${name} ${r.damaged}`;
  problems.push({ file: name, reason, severity: 'damaged', replacedBy: snap ? `snapshot ${snap.id}` : 'empty' });
  return snap ? fromSnapshot(snap.body) : initial;
}

/**
 * Loads a project without changing anything on disk: state files, then the journal replayed past the checkpoint.
 * Damaged files are reported in `problems` and replaced in memory by the newest good snapshot's copy (or empty);
 * `ProjectStore.open` then sets them aside, `project check` reports them.
 */
export async function loadProject(dirIn: string): Promise<LoadedProject> {
  const dir = path.resolve(dirIn);
  const problems: Problem[] = [];
  let snapshot: Promise<{ body: SnapshotBody; id: string } | null> | null = null;
  const fallback: Fallback = () =>
    (snapshot ??= latestGoodSnapshot(dir).then((s) => (s ? { body: s.body, id: s.meta.id } : null)));

  const manifest = await loadManifest(dir, problems, fallback);
  assertReadable(dir, manifest);
  const kind: DocKind = manifest.kind;
  const data: ProjectData = {
    plan: await loadPart(dir, Files.plan, Plan, (b) => b.plan, defaultPlan(kind, manifest.title, ''), problems, fallback),
    document: await loadPart(dir, Files.document, DocumentJson.nullable(), (b) => b.document, null, problems, fallback, true),
    passages: await loadPart(dir, Files.passages, z.array(Passage), (b) => b.passages, [], problems, fallback),
    flags: await loadPart(dir, Files.flags, z.array(Flag), (b) => b.flags, [], problems, fallback),
    pipeline: await loadPart(dir, Files.pipeline, PipelineState, (b) => b.pipeline, idlePipeline, problems, fallback),
  };

  const cp = await readJsonFile(path.join(dir, Files.checkpoint), Checkpoint);
  let checkpointSeq = 0;
  if ('value' in cp) checkpointSeq = cp.value.seq;
  else if ('damaged' in cp) problems.push({ file: Files.checkpoint, reason: `${Files.checkpoint} ${cp.damaged}`, severity: 'damaged', replacedBy: 'a full journal replay' });

  const journal = await readJournal(path.join(dir, Files.journal));
  if (journal.tornTail) problems.push({ file: Files.journal, reason: 'the last journal line is incomplete (the app was stopped while saving); it is ignored', severity: 'note' });
  if (journal.badLines.length) {
    problems.push({ file: Files.journal, reason: `journal lines ${journal.badLines.join(', ')} fail their checksum; the other entries are used`, severity: 'damaged', replacedBy: 'its valid entries' });
  }
  let lastSeq = checkpointSeq;
  let updatedAt = manifest.updatedAt;
  const replayed = new Set<Part>();
  for (const entry of journal.entries) {
    if (entry.seq <= checkpointSeq) continue;
    for (const part of applyOp(data, entry)) replayed.add(part);
    lastSeq = Math.max(lastSeq, entry.seq);
    updatedAt = entry.at;
  }
  return { dir, manifest, data, checkpointSeq, lastSeq, updatedAt, journal, replayed, problems };
}
