/**
 * The desk's state: the open project, its plan, passages, flags and pipeline, plus notices for the person.
 * A tiny external store (useSyncExternalStore) so panels re-render only on what they select.
 */
import { useSyncExternalStore } from 'react';
import type { ApiError, Flag, GeneratorStatus, Passage, PassageCandidate, PipelineState, Plan, ProjectSummary } from '../../../electron/contract/contract.ts';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  hint?: string;
}

export interface ReferenceDoc {
  name: string;
  chunks: number;
  bytes: number;
}

export interface DeskState {
  dir: string | null;
  summary: ProjectSummary | null;
  plan: Plan;
  passages: Record<string, Passage>;
  /** Live candidate texts while a passage streams, by passage id then candidate index. */
  live: Record<string, string[]>;
  flags: Flag[];
  pipeline: PipelineState;
  generator: GeneratorStatus | null;
  references: ReferenceDoc[];
  notices: Notice[];
  cursorPassageId: string | null;
  save: 'idle' | 'saving' | 'saved' | 'error' | 'local';
  /** Bumped when a document should be (re)loaded into the editor. */
  docNonce: number;
  document: Record<string, unknown> | null;
  selectionCandidates: { action: string; candidates: PassageCandidate[] } | null;
}

export const emptyPlan = (): Plan => ({
  kind: 'story',
  premise: '',
  title: '',
  setting: '',
  purpose: '',
  characters: [],
  keyFacts: [],
  outline: [],
  author: '',
  language: 'en',
});

const initial: DeskState = {
  dir: null,
  summary: null,
  plan: emptyPlan(),
  passages: {},
  live: {},
  flags: [],
  pipeline: { step: 'idle', done: 0, total: 0 },
  generator: null,
  references: [],
  notices: [],
  cursorPassageId: null,
  save: 'local',
  docNonce: 0,
  document: null,
  selectionCandidates: null,
};

let state: DeskState = initial;
const listeners = new Set<() => void>();

export function getState(): DeskState {
  return state;
}

export function setState(patch: Partial<DeskState> | ((s: DeskState) => Partial<DeskState>)): void {
  const p = typeof patch === 'function' ? patch(state) : patch;
  state = { ...state, ...p };
  for (const l of listeners) l();
}

export function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useDesk<T>(select: (s: DeskState) => T): T {
  return useSyncExternalStore(subscribe, () => select(state));
}

let noticeId = 0;
export function notify(kind: Notice['kind'], text: string, hint?: string): void {
  const id = ++noticeId;
  setState((s) => ({ notices: [...s.notices.slice(-4), { id, kind, text, hint }] }));
  if (kind === 'info') setTimeout(() => dismissNotice(id), 5000);
}

export function notifyError(error: ApiError): void {
  notify('error', error.message, error.hint);
}

export function dismissNotice(id: number): void {
  setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
