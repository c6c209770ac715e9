import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic as writeAtomic } from '../fs/atomic.ts';
import { releaseLock, tryLock as tryFileLock } from '../fs/lock.ts';

/** Writes a file atomically, creating its folder first (the one atomic writer: ../fs/atomic.ts). */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await writeAtomic(file, data);
}

const chains = new Map<string, Promise<unknown>>();

/** Runs read-modify-write jobs on one file one after another (within this process). */
export function serialized<T>(key: string, job: () => Promise<T>): Promise<T> {
  const prev = chains.get(key) ?? Promise.resolve();
  const next = prev.then(job, job);
  chains.set(key, next.catch(() => undefined));
  return next;
}

/** Total bytes of the regular files under a folder. */
export async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fsp.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += (await fsp.stat(path.join(e.parentPath, e.name))).size;
  }
  return total;
}

/** Removes a folder by first renaming it aside, so it disappears from view at once even if deletion is slow. */
export async function removeFolder(dir: string, trashDir: string): Promise<void> {
  await fsp.mkdir(trashDir, { recursive: true });
  const aside = path.join(trashDir, `${path.basename(dir)}-${randomBytes(4).toString('hex')}`);
  await fsp.rename(dir, aside);
  await fsp.rm(aside, { recursive: true, force: true });
}

/**
 * An exclusive lock between processes (the app's engine and a CLI may pull the same model), through the engine's
 * one lock (../fs/lock.ts). Returns the release function, or null when a live process holds it.
 */
export async function tryLock(file: string): Promise<(() => Promise<void>) | null> {
  const attempt = await tryFileLock(file);
  return attempt.ok ? () => releaseLock(file) : null;
}
