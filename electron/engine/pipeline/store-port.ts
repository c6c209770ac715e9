import type { DocumentJson, Flag, Passage, PipelineState, Plan } from '../../contract/contract.ts';

/**
 * What the pipeline needs of a project (implemented by project/store.ts's ProjectStore). Every `save*`,
 * `acceptPassage` and `writeJson` is durable when its promise resolves — the loop relies on that to resume.
 */
export interface PipelineStore {
  readonly dir: string;
  plan(): Plan;
  savePlan(plan: Plan): Promise<void>;
  passages(): Passage[];
  acceptPassage(p: Passage): Promise<void>;
  updatePassage(p: Passage): Promise<void>;
  flags(): Flag[];
  saveFlag(f: Flag): Promise<void>;
  document(): DocumentJson | null;
  pipelineState(): PipelineState;
  savePipelineState(s: PipelineState): Promise<void>;
  readJson<T>(name: string): T | null;
  writeJson(name: string, value: unknown): Promise<void>;
}
