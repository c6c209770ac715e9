import path from 'node:path';
import { z } from 'zod';
import { DocKind, type PipelineState, type Plan } from '../../contract/contract.ts';
import { fail } from '../errors.ts';

/** The project folder format version this build writes. Bump it with a migration in migrations.ts. */
export const FORMAT_VERSION = 1;

export const Files = {
  manifest: 'manifest.json',
  plan: 'plan.json',
  document: 'document.json',
  passages: 'passages.json',
  flags: 'flags.json',
  pipeline: 'pipeline.json',
  checkpoint: 'checkpoint.json',
  journal: 'journal.jsonl',
  lock: '.lock',
  data: 'data',
  references: 'references',
  snapshots: 'snapshots',
} as const;

export const Manifest = z
  .object({
    format: z.literal('longhand-project'),
    formatVersion: z.number().int().positive(),
    appVersion: z.string(),
    id: z.string(),
    kind: DocKind,
    title: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .passthrough();
export type Manifest = z.infer<typeof Manifest>;

/** Written after a checkpoint: every journal entry with seq ≤ `seq` is already in the state files. */
export const Checkpoint = z.object({ seq: z.number().int().nonnegative(), at: z.string() });
export type Checkpoint = z.infer<typeof Checkpoint>;

export function defaultPlan(kind: Plan['kind'], title: string, premise: string): Plan {
  return { kind, premise, title, setting: '', purpose: '', characters: [], keyFacts: [], outline: [], author: '', language: 'en' };
}

export const idlePipeline: PipelineState = { step: 'idle', done: 0, total: 0 };

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9 _.,()+-]{0,199}$/;

/**
 * A name that becomes a file inside the project (reference documents, pipeline data, snapshot ids):
 * one path segment, no traversal, no hidden files, no separators or control characters.
 */
export function safeName(name: string, what: string, field = 'name'): string {
  if (!SAFE_NAME.test(name) || name.includes('..') || name.endsWith('.') || name.endsWith(' ') || path.basename(name) !== name) {
    fail('bad_input', `${what} name ${JSON.stringify(name)} is not allowed.`, {
      field,
      hint: 'Use letters, digits, spaces and . _ - , ( ) + only; no slashes, no "..", not starting with a dot (at most 200 characters).',
    });
  }
  return name;
}
