import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ModelRole } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { HomePaths } from '../paths.ts';
import { serialized, writeFileAtomic } from './fsutil.ts';

/**
 * The model roles in settings.json (shared with other parts of the engine: only `modelRoles` and `projectModelRoles`
 * are ours; every other key is kept as it was).
 */
const Roles = z.partialRecord(ModelRole, z.string().nullable());
export type Roles = z.infer<typeof Roles>;

const Ours = z.object({
  modelRoles: Roles.default({}),
  projectModelRoles: z.record(z.string(), Roles).default({}),
});

type Settings = Record<string, unknown>;

async function readSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Settings;
  } catch {
    /* fall through */
  }
  fail('io', `The settings file is damaged (not a JSON object).`, { file, hint: 'Fix or delete it; Longhand will recreate it with defaults.' });
}

export async function readRoles(paths: HomePaths): Promise<z.infer<typeof Ours>> {
  const parsed = Ours.safeParse(await readSettings(paths.settings));
  return parsed.success ? parsed.data : { modelRoles: {}, projectModelRoles: {} };
}

/** Sets (or clears, with null) the model for a role, globally or for one project folder. */
export function setRole(paths: HomePaths, role: ModelRole, id: string | null, project?: string): Promise<void> {
  return serialized(paths.settings, async () => {
    const settings = await readSettings(paths.settings);
    const ours = Ours.safeParse(settings);
    const cur = ours.success ? ours.data : { modelRoles: {}, projectModelRoles: {} };
    if (project) {
      const key = path.resolve(project);
      cur.projectModelRoles[key] = { ...cur.projectModelRoles[key], [role]: id };
    } else {
      cur.modelRoles = { ...cur.modelRoles, [role]: id };
    }
    await writeFileAtomic(paths.settings, JSON.stringify({ ...settings, ...cur }, null, 2));
  });
}

/** Drops every role pointing at a removed model. */
export function clearRolesFor(paths: HomePaths, id: string): Promise<void> {
  return serialized(paths.settings, async () => {
    const settings = await readSettings(paths.settings);
    const ours = Ours.safeParse(settings);
    if (!ours.success) return;
    const strip = (r: Roles): Roles => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === id ? null : v]));
    const next = { modelRoles: strip(ours.data.modelRoles), projectModelRoles: Object.fromEntries(Object.entries(ours.data.projectModelRoles).map(([k, r]) => [k, strip(r)])) };
    await writeFileAtomic(paths.settings, JSON.stringify({ ...settings, ...next }, null, 2));
  });
}
