import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic as writeAtomic } from '../fs/atomic.ts';

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
 * An exclusive lock between processes (the app's engine and a CLI may pull the same model): a file holding our pid,
 * created with O_EXCL. A lock left by a process that no longer runs is taken over. Returns the release function,
 * or null when a live process holds it.
 */
export async function tryLock(file: string): Promise<(() => Promise<void>) | null> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fsp.writeFile(file, String(process.pid), { flag: 'wx' });
      return () => fsp.rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(await fsp.readFile(file, 'utf8').catch(() => ''));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) return null;
      if (pid === process.pid) return null;
      await fsp.rm(file, { force: true });
    }
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
