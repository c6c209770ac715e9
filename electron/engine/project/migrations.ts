import { fail } from '../errors.ts';
import { FORMAT_VERSION, type Manifest } from './format.ts';

/**
 * Migrations by format version: `migrations[n]` turns a version-n project folder into version n+1 (in place, each
 * step with atomic writes). Empty while FORMAT_VERSION is 1; a future format adds its step here.
 */
export type Migration = (dir: string, manifest: Manifest) => Promise<Manifest>;
export const migrations: Record<number, Migration> = {};

/** Refuses a newer project (never rewritten), runs the steps from an older one up to `target`. */
export async function migrate(dir: string, manifest: Manifest, table: Record<number, Migration> = migrations, target = FORMAT_VERSION): Promise<Manifest> {
  if (manifest.formatVersion > target) {
    fail('bad_input', `This project was saved by a newer Longhand (project format ${manifest.formatVersion}, this build reads up to ${target}).`, {
      file: dir,
      hint: 'Update Longhand to open it. The project was not changed.',
    });
  }
  let current = manifest;
  while (current.formatVersion < target) {
    const step = table[current.formatVersion];
    if (!step) fail('bad_input', `No migration from project format ${current.formatVersion}.`, { file: dir, hint: 'This project cannot be opened by this build.' });
    current = await step(dir, current);
  }
  return current;
}

/** Whether opening would refuse this manifest (used by the read-only paths: info, check, export). */
export function assertReadable(dir: string, manifest: Manifest): void {
  if (manifest.formatVersion > FORMAT_VERSION) {
    fail('bad_input', `This project was saved by a newer Longhand (project format ${manifest.formatVersion}, this build reads up to ${FORMAT_VERSION}).`, {
      file: dir,
      hint: 'Update Longhand to open it. The project was not changed.',
    });
  }
}
