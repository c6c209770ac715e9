import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CatalogEntry } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { appRoot } from '../paths.ts';
import { checkModelId, checkRepoId, checkRepoPath, checkRevision } from './names.ts';

export const catalogPath = path.join(appRoot, 'models', 'catalog.json');

const CatalogFile = z.object({ version: z.literal(1), models: z.array(CatalogEntry) });

/** Parses and checks a catalog: schema, ids, repo ids, revisions, file paths (no traversal), unique ids. */
export function parseCatalog(raw: unknown, origin: string): CatalogEntry[] {
  const parsed = CatalogFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail('bad_input', `The model catalog ${origin} is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`, { file: origin });
  }
  const seen = new Set<string>();
  for (const e of parsed.data.models) {
    checkModelId(e.id, `catalog ${e.id}`);
    if (seen.has(e.id)) fail('bad_input', `The model catalog lists "${e.id}" twice.`, { file: origin });
    seen.add(e.id);
    checkRepoId(e.repo, `catalog ${e.id}.repo`);
    checkRevision(e.revision, `catalog ${e.id}.revision`);
    for (const f of e.files) {
      checkRepoPath(f.path, `the catalog entry ${e.id}`);
      if (f.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(f.sha256)) fail('bad_input', `Catalog entry ${e.id}: ${f.path} has a malformed sha256.`, { file: origin });
    }
  }
  return parsed.data.models;
}

let cached: CatalogEntry[] | null = null;

export function loadCatalog(file = catalogPath): CatalogEntry[] {
  if (file === catalogPath && cached) return cached;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail('internal', `The model catalog ${file} cannot be read: ${(err as Error).message}`, { file });
  }
  const entries = parseCatalog(raw, file);
  if (file === catalogPath) cached = entries;
  return entries;
}

export function findCatalogEntry(id: string, catalog = loadCatalog()): CatalogEntry | undefined {
  return catalog.find((e) => e.id === id);
}
