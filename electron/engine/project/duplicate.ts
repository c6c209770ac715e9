import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../errors.ts';
import { fsyncDir, writeJsonAtomic } from '../fs/atomic.ts';
import { Files, Manifest } from './format.ts';
import { readJsonFile } from './load.ts';

const skip = (name: string) => name === Files.lock || name.includes('.damaged-') || (name.startsWith('.') && name.endsWith('.tmp'));

async function copyTree(from: string, to: string): Promise<void> {
  await fsp.mkdir(to, { recursive: true });
  for (const entry of await fsp.readdir(from, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const a = path.join(from, entry.name);
    const b = path.join(to, entry.name);
    if (entry.isDirectory()) await copyTree(a, b);
    else if (entry.isFile()) await fsp.copyFile(a, b);
  }
}

/**
 * Copies a project folder (checkpointed first by the caller when it is open) to `to`, with a new id. The copy is
 * assembled in a temp folder beside `to` and renamed into place, so `to` is either absent or a whole project.
 */
export async function duplicateProject(fromIn: string, toIn: string): Promise<string> {
  const from = path.resolve(fromIn);
  const to = path.resolve(toIn);
  if (from === to || to.startsWith(from + path.sep)) fail('bad_input', 'The copy must go outside the project folder.', { field: 'to', file: to });
  if (fs.existsSync(to) && fs.readdirSync(to).length > 0) fail('conflict', `${to} already exists and is not empty.`, { field: 'to', file: to, hint: 'Choose a new folder.' });
  if (!fs.existsSync(path.dirname(to))) fail('not_found', `The folder ${path.dirname(to)} does not exist.`, { field: 'to', file: path.dirname(to), hint: 'Create it first.' });
  const m = await readJsonFile(path.join(from, Files.manifest), Manifest);
  if (!('value' in m)) fail('not_found', `${from} is not a readable Longhand project.`, { file: from, hint: 'Open it first (damaged files are repaired on open).' });
  const tmp = path.join(path.dirname(to), `.${path.basename(to)}.${randomUUID().slice(0, 8)}.partial`);
  try {
    await copyTree(from, tmp);
    await writeJsonAtomic(path.join(tmp, Files.manifest), { ...m.value, id: randomUUID(), updatedAt: new Date().toISOString() });
    if (fs.existsSync(to)) await fsp.rmdir(to);
    await fsp.rename(tmp, to);
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await fsyncDir(path.dirname(to));
  return to;
}
