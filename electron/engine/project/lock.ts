import { fail } from '../errors.ts';
import { tryLock, type LockInfo } from '../fs/lock.ts';

export { isStale, readLock, releaseLock, type LockInfo } from '../fs/lock.ts';

/** Takes the project lock; a live holder is a `conflict` that says who holds it and what to do. */
export async function acquireLock(dir: string, file: string): Promise<void> {
  const attempt = await tryLock(file);
  if (!attempt.ok) lockedError(dir, attempt.heldBy);
}

function lockedError(dir: string, held: LockInfo | null): never {
  const who = held ? `process ${held.pid} on ${held.host} since ${held.startedAt}` : 'another process';
  fail('conflict', `The project is open in another Longhand instance (${who}).`, {
    file: dir,
    hint: 'Close it there first. If that instance is gone (another computer crashed), delete the .lock file in the project folder.',
  });
}
