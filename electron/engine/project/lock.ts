import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { fail } from '../errors.ts';
import { fsyncDir, tempPathFor } from '../fs/atomic.ts';

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

/**
 * Takes the project lock (pid + host + time). The content is written before the lock appears (hard link of a
 * complete temp file), so a reader never sees a half-written lock. A stale lock is replaced; a live one is a conflict.
 */
export async function acquireLock(dir: string, file: string): Promise<void> {
  const tmp = tempPathFor(file);
  const info: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  await fsp.writeFile(tmp, JSON.stringify(info) + '\n');
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await fsp.link(tmp, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') lockedError(dir, await readLock(file));
          throw err;
        }
        const held = await readLock(file);
        if (!isStale(held)) lockedError(dir, held);
        await fsp.rm(file, { force: true });
      }
    }
  } finally {
    await fsp.rm(tmp, { force: true });
  }
  await fsyncDir(path.dirname(file));
}

function lockedError(dir: string, held: LockInfo | null): never {
  const who = held ? `process ${held.pid} on ${held.host} since ${held.startedAt}` : 'another process';
  fail('conflict', `The project is open in another Longhand instance (${who}).`, {
    file: dir,
    hint: 'Close it there first. If that instance is gone (another computer crashed), delete the .lock file in the project folder.',
  });
}

export async function releaseLock(file: string): Promise<void> {
  const held = await readLock(file);
  if (held && held.pid === process.pid && held.host === os.hostname()) await fsp.rm(file, { force: true });
}
