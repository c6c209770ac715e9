import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { fsyncDir, tempPathFor } from './atomic.ts';

/**
 * The one inter-process lock of the engine (projects, model downloads): a lock file holding pid + host + time.
 * Its content is complete before it appears (hard link of a finished temp file), so a reader never sees half a
 * lock. A lock whose process is gone (same host) or that is unreadable is stale and taken over.
 */
const LockInfo = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.string() });
export type LockInfo = z.infer<typeof LockInfo>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readLock(file: string): Promise<LockInfo | null> {
  try {
    const parsed = LockInfo.safeParse(JSON.parse(await fsp.readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A lock is stale when its process is gone (same host), or it is unreadable. */
export function isStale(info: LockInfo | null): boolean {
  return info === null || (info.host === os.hostname() && !alive(info.pid));
}

export type LockAttempt = { ok: true } | { ok: false; heldBy: LockInfo | null };

/** Takes the lock at `file`, replacing a stale one; `{ ok: false }` with the holder when a live process has it. */
export async function tryLock(file: string): Promise<LockAttempt> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  const info: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  await fsp.writeFile(tmp, JSON.stringify(info) + '\n');
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await fsp.link(tmp, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const held = await readLock(file);
        if (attempt > 0 || !isStale(held)) return { ok: false, heldBy: held };
        await fsp.rm(file, { force: true });
      }
    }
  } finally {
    await fsp.rm(tmp, { force: true });
  }
  await fsyncDir(path.dirname(file));
  return { ok: true };
}

/** Releases the lock at `file` if this process holds it. */
export async function releaseLock(file: string): Promise<void> {
  const held = await readLock(file);
  if (held && held.pid === process.pid && held.host === os.hostname()) await fsp.rm(file, { force: true });
}
