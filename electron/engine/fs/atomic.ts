import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temp name in the same folder as `file` (so the final rename never crosses file systems). */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** fsyncs a folder so a rename/create inside it survives a power cut. Some platforms refuse to open folders: ignored there. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | null = null;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `data` to `file` atomically: temp file in the same folder, fsync, rename over the target, fsync the folder.
 * A crash at any moment leaves either the old file or the new one, never a mix; the temp is removed on failure.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(file);
  try {
    const handle = await fsp.open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(path.dirname(file));
}

export function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(value, null, 1) + '\n');
}

/** Keeps a copy of a damaged file as `<name>.damaged-<time>` (fsynced); returns its path. */
export async function copyAside(file: string, at = new Date()): Promise<string> {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  let target = `${file}.damaged-${stamp}`;
  for (let i = 1; fs.existsSync(target); i++) target = `${file}.damaged-${stamp}-${i}`;
  await fsp.copyFile(file, target);
  const h = await fsp.open(target, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
  await fsyncDir(path.dirname(file));
  return target;
}

/** Removes temp files a killed writer left behind (they are never the only copy of anything). */
export async function removeStaleTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => n.startsWith('.') && n.endsWith('.tmp')).map((n) => fsp.rm(path.join(dir, n), { force: true })));
}
