import fs from 'node:fs';
import path from 'node:path';
import { Files } from './format.ts';
import { readJsonFile, loadProject, type Problem } from './load.ts';
import { isStale, readLock } from './lock.ts';
import { readSnapshot, listSnapshots, snapshotsDir } from './snapshot-file.ts';
import { z } from 'zod';

export interface CheckReport {
  ok: boolean;
  dir: string;
  formatVersion: number;
  passages: number;
  journalEntries: number;
  snapshots: number;
  lock: { pid: number; host: string; startedAt: string; stale: boolean } | null;
  /** `damaged` problems make `ok` false; notes are harmless (a torn journal tail after a kill). */
  problems: Problem[];
}

/** Verifies a project's integrity without changing anything (what `longhand project check` prints). */
export async function checkProject(dirIn: string): Promise<CheckReport> {
  const dir = path.resolve(dirIn);
  const loaded = await loadProject(dir);
  const problems = [...loaded.problems];

  const dataDir = path.join(dir, Files.data);
  for (const name of fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : []) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const r = await readJsonFile(path.join(dataDir, name), z.unknown());
    if ('damaged' in r) problems.push({ file: `${Files.data}/${name}`, reason: `${Files.data}/${name} ${r.damaged}`, severity: 'damaged' });
  }
  const snapshotFiles = fs.existsSync(snapshotsDir(dir)) ? fs.readdirSync(snapshotsDir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')) : [];
  for (const name of snapshotFiles) {
    const s = await readSnapshot(dir, name.slice(0, -5));
    if ('error' in s) problems.push({ file: `${Files.snapshots}/${name}`, reason: `snapshot ${name}: ${s.error}`, severity: 'damaged' });
  }
  const ids = new Set<string>();
  for (const p of loaded.data.passages) {
    if (ids.has(p.id)) problems.push({ file: Files.passages, reason: `passage id ${p.id} appears twice`, severity: 'damaged' });
    ids.add(p.id);
  }
  const lock = await readLock(path.join(dir, Files.lock));
  return {
    ok: problems.every((p) => p.severity !== 'damaged'),
    dir,
    formatVersion: loaded.manifest.formatVersion,
    passages: loaded.data.passages.length,
    journalEntries: loaded.journal.entries.length,
    snapshots: listSnapshots(dir).length,
    lock: lock ? { ...lock, stale: isStale(lock) } : null,
    problems,
  };
}
