import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from '../paths.ts';

/** The folder of the built-in relevance model (models/embedded/, committed; see its PROVENANCE.md). */
export function embeddedRelevanceModelDir(): string {
  return path.join(appRoot, 'models', 'embedded');
}

export function isEmbeddedRelevanceModel(dir: string): boolean {
  try {
    return fs.realpathSync(dir) === fs.realpathSync(embeddedRelevanceModelDir());
  } catch {
    return false;
  }
}
