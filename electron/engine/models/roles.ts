import fs from 'node:fs';
import path from 'node:path';
import type { InstalledModel, ModelRole } from '../../contract/contract.ts';
import type { HomePaths } from '../paths.ts';
import { builtinModels } from './builtin.ts';
import { listInstalled } from './registry.ts';
import { readRoles } from './settings.ts';

/** The model id chosen for each role: the project's choice where it made one, else the global one. */
export async function effectiveRoles(paths: HomePaths, project?: string): Promise<Record<ModelRole, string | null>> {
  const { modelRoles, projectModelRoles } = await readRoles(paths);
  const local = project ? (projectModelRoles[path.resolve(project)] ?? {}) : {};
  const pick = (role: ModelRole) => (local[role] !== undefined ? local[role] : modelRoles[role]) ?? null;
  return { generator: pick('generator'), relevance: pick('relevance'), nli: pick('nli') };
}

/**
 * The folder of the model serving `role`, or null when none is chosen (or the chosen one has gone).
 * Relevance falls back to the embedded model. This is what the rest of the engine calls.
 */
export async function resolveRoleModel(paths: HomePaths, role: ModelRole, project?: string): Promise<string | null> {
  return (await resolveRoleEntry(paths, role, project))?.dir ?? null;
}

export async function resolveRoleEntry(paths: HomePaths, role: ModelRole, project?: string): Promise<InstalledModel | null> {
  const id = (await effectiveRoles(paths, project))[role];
  if (id) {
    const model = (await listInstalled(paths)).find((m) => m.id === id);
    if (model && fs.existsSync(model.dir)) return model;
  }
  if (role === 'relevance') return builtinModels()[0] ?? null;
  return null;
}
