import type { Flag, Passage, Plan, Scores } from '../../contract/contract.ts';
import { countWords, lengthScore } from './length.ts';
import { findPoint } from './outline.ts';

export interface PassageReport {
  passageId: string;
  pointId: string;
  point: string;
  winner: number;
  words: number;
  tokens: number;
  seconds: number | null;
  editedByUser: boolean;
  candidates: Array<{ tokens: number; scores: Scores }>;
}

export interface WriteReport {
  title: string;
  kind: Plan['kind'];
  words: number;
  passages: number;
  seconds: number;
  targetWords: number | null;
  /** LongBench-Write length score S_l (0..100), when a target was set. */
  lengthScore: number | null;
  /** Fact-ledger flags by status, and each flag. */
  flags: { byStatus: Record<Flag['status'], number>; list: Flag[] };
  perPassage: PassageReport[];
}

/** The per-passage report (outline point, candidates' scores, winner, tokens, seconds), from the project itself. */
export function buildReport(plan: Plan, passages: Passage[], text: string, flags: Flag[] = []): WriteReport {
  const perPassage = passages.map((p): PassageReport => ({
    passageId: p.id,
    pointId: p.pointId,
    point: findPoint(plan.outline, p.pointId)?.point.text ?? '',
    winner: p.chosen,
    words: countWords(p.text),
    tokens: p.candidates[p.chosen]?.tokens ?? 0,
    seconds: p.seconds ?? null,
    editedByUser: p.editedByUser,
    candidates: p.candidates.map((c) => ({ tokens: c.tokens, scores: c.scores })),
  }));
  const words = countWords(text);
  return {
    title: plan.title,
    kind: plan.kind,
    words,
    passages: passages.length,
    seconds: perPassage.reduce((s, p) => s + (p.seconds ?? 0), 0),
    targetWords: plan.targetWords ?? null,
    lengthScore: plan.targetWords ? lengthScore(plan.targetWords, words) : null,
    flags: {
      byStatus: { open: 0, fixed: 0, kept: 0, dismissed: 0, ...Object.fromEntries(['open', 'fixed', 'kept', 'dismissed'].map((k) => [k, flags.filter((f) => f.status === k).length])) },
      list: flags,
    },
    perPassage,
  };
}
