import type { DocumentJson, Flag, Passage, PipelineState, Plan } from '../../contract/contract.ts';
import type { JournalOp } from './journal.ts';

/** The manuscript state a checkpoint writes and the journal updates. */
export interface ProjectData {
  plan: Plan;
  document: DocumentJson | null;
  passages: Passage[];
  flags: Flag[];
  pipeline: PipelineState;
}

export type Part = keyof ProjectData;

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const out = list.slice();
  out[i] = item;
  return out;
}

/** Applies one journal operation; returns the parts it changed. Idempotent by construction. */
export function applyOp(data: ProjectData, op: JournalOp): Part[] {
  switch (op.op) {
    case 'plan':
      data.plan = op.plan;
      return ['plan'];
    case 'passage':
      data.passages = upsert(data.passages, op.passage);
      return ['passages'];
    case 'flag':
      data.flags = upsert(data.flags, op.flag);
      return ['flags'];
    case 'document':
      data.document = op.document;
      return ['document'];
    case 'pipeline':
      data.pipeline = op.state;
      return ['pipeline'];
    case 'replace':
      Object.assign(data, { plan: op.plan, document: op.document, passages: op.passages, flags: op.flags, pipeline: op.pipeline });
      return ['plan', 'document', 'passages', 'flags', 'pipeline'];
  }
}
