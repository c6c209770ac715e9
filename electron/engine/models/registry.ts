import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InstalledModel } from '../../contract/contract.ts';
import type { HomePaths } from '../paths.ts';
import { builtinModels } from './builtin.ts';
import { serialized, writeFileAtomic } from './fsutil.ts';

/**
 * Installed models: folders under models/ that hold a manifest (written last, inside the staging folder, before the
 * atomic rename, so a folder without one is never a model), models imported without copying (a list in the data
 * folder), and the built-in embedded relevance model.
 */
export const manifestName = 'longhand-model.json';

export const ManifestFile = z.object({ path: z.string(), size: z.number().int(), sha256: z.string().optional() });
export const Manifest = InstalledModel.omit({ dir: true }).extend({
  files: z.array(ManifestFile).default([]),
  installedAt: z.string(),
});
export type Manifest = z.infer<typeof Manifest>;

export function linkedListPath(paths: HomePaths): string {
  return path.join(paths.home, 'imported-models.json');
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(path.join(dir, manifestName), JSON.stringify(manifest, null, 2));
}

async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    const parsed = Manifest.safeParse(JSON.parse(await fsp.readFile(path.join(dir, manifestName), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function readLinked(paths: HomePaths): Promise<InstalledModel[]> {
  try {
    const parsed = z.array(InstalledModel).safeParse(JSON.parse(await fsp.readFile(linkedListPath(paths), 'utf8')));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function updateLinked(paths: HomePaths, change: (list: InstalledModel[]) => InstalledModel[]): Promise<void> {
  const file = linkedListPath(paths);
  return serialized(file, async () => writeFileAtomic(file, JSON.stringify(change(await readLinked(paths)), null, 2)));
}

export async function listInstalled(paths: HomePaths): Promise<InstalledModel[]> {
  const out: InstalledModel[] = [...builtinModels()];
  let entries: fs.Dirent[] = [];
  try {
    entries = await fsp.readdir(paths.models, { withFileTypes: true });
  } catch {
    /* no models folder yet */
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const dir = path.join(paths.models, e.name);
    const m = await readManifest(dir);
    if (m && m.id === e.name) {
      const { files: _files, installedAt: _at, ...model } = m;
      out.push({ ...model, dir });
    }
  }
  for (const m of await readLinked(paths)) if (!out.some((o) => o.id === m.id)) out.push({ ...m, linked: true });
  return out;
}

export async function findInstalled(paths: HomePaths, id: string): Promise<InstalledModel | undefined> {
  return (await listInstalled(paths)).find((m) => m.id === id);
}
