import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Passage, Plan } from '../../contract/contract.ts';

/** Fixtures shared by the project and export tests. */
export function tempDir(prefix = 'lh-proj-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function samplePlan(): Plan {
  return {
    kind: 'story',
    premise: 'A lighthouse keeper finds a map inside a bottle.',
    title: 'The Keeper’s Map',
    setting: 'A rocky island in the north sea.',
    purpose: '',
    characters: [{ id: 'c1', name: 'Mara', description: 'The keeper, sixty, stubborn.', facts: ['Mara lives alone.'] }],
    keyFacts: [],
    outline: [
      { id: 'p1', text: 'The Bottle', children: [{ id: 'p1a', text: 'Low Tide', children: [] }] },
      { id: 'p2', text: 'The Crossing', children: [] },
      { id: 'p3', text: 'Home Again', children: [] },
    ],
    author: 'A. Writer',
    language: 'en',
  };
}

export function passage(id: string, pointId: string, index: number, text: string): Passage {
  return {
    id,
    pointId,
    index,
    text,
    chosen: 0,
    candidates: [{ text, tokens: 12, scores: { relevance: 0.8, coherence: -1.2, repetition: 0.05, combined: 0.61 } }],
    editedByUser: false,
  };
}
