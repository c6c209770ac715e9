import fs from 'node:fs';
import path from 'node:path';
import type { InstalledModel } from '../../contract/contract.ts';
import { embeddedRelevanceModelDir } from '../scoring/embedded.ts';

/** The embedded relevance model shipped with the app (the scoring area's models/embedded/), when this build has it. */
export const builtinRelevanceId = 'builtin-relevance';

export function embeddedDir(): string | null {
  const dir = embeddedRelevanceModelDir();
  return fs.existsSync(path.join(dir, 'config.json')) && hasOnnx(dir) ? dir : null;
}

function hasOnnx(dir: string): boolean {
  const has = (d: string) => safeFiles(d).some((f) => f.endsWith('.onnx'));
  return has(dir) || has(path.join(dir, 'onnx'));
}

function safeFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function sizeOf(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += fs.statSync(path.join(e.parentPath, e.name)).size;
  return total;
}

export function builtinModels(): InstalledModel[] {
  const dir = embeddedDir();
  if (!dir) return [];
  return [{ id: builtinRelevanceId, role: 'relevance', dir, sizeBytes: sizeOf(dir), source: 'builtin', name: 'Embedded relevance model (built in)', kind: 'embedder' }];
}
