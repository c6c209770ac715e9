/**
 * Longhand's node state on Lexical nodes (see DocStateKey in the contract): `lhSection` on a section heading,
 * `lhPassage` (PassageProvenance) on each paragraph of a generated passage. Serialized by Lexical under "$".
 */
import { createState } from 'lexical';
import type { DocStateKey, PassageProvenance, Scores } from '../../../electron/contract/contract.ts';

// The keys are the contract's; typed against it so a rename there fails here (a value import would bundle zod).
const SECTION_KEY: (typeof DocStateKey)['section'] = 'lhSection';
const PASSAGE_KEY: (typeof DocStateKey)['passage'] = 'lhPassage';

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function parseScores(v: unknown): Scores | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const s = v as Record<string, unknown>;
  if (!isNum(s.relevance) || !isNum(s.coherence) || !isNum(s.repetition) || !isNum(s.combined)) return undefined;
  return { relevance: s.relevance, coherence: s.coherence, repetition: s.repetition, combined: s.combined };
}

/** Reads a provenance value from JSON; anything malformed reads as "no provenance" rather than breaking the load. */
export function parseProvenance(v: unknown): PassageProvenance | null {
  if (!v || typeof v !== 'object') return null;
  const p = v as Record<string, unknown>;
  if (typeof p.passageId !== 'string' || !p.passageId || typeof p.pointId !== 'string') return null;
  const out: PassageProvenance = { passageId: p.passageId, pointId: p.pointId, candidate: Number.isInteger(p.candidate) ? (p.candidate as number) : 0 };
  const scores = parseScores(p.scores);
  if (scores) out.scores = scores;
  if (p.edited === true) out.edited = true;
  return out;
}

function sameProvenance(a: PassageProvenance | null, b: PassageProvenance | null): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

export const sectionState = createState(SECTION_KEY, { parse: (v) => (typeof v === 'string' ? v : '') });
export const passageState = createState(PASSAGE_KEY, { parse: parseProvenance, isEqual: sameProvenance });
