import type { DocumentJson, Flag, Passage, PipelineState, Plan } from '../../../contract/contract.ts';
import type { Manifest } from '../format.ts';
import { lexicalToBlocks, type DocModel } from './model.ts';
import { reconcileDocument } from './reconcile.ts';

export { buildDocumentJson } from './build.ts';
export { reconcileDocument } from './reconcile.ts';
export * from './model.ts';

/** What reading a project needs: the open store and a read-only loaded project both provide it. */
export interface ProjectView {
  readonly dir: string;
  manifest(): Manifest;
  plan(): Plan;
  document(): DocumentJson | null;
  passages(): Passage[];
  flags(): Flag[];
  pipelineState(): PipelineState;
}

/** The document as exports and the pipeline see it: document.json reconciled with accepted passages, as the simple model. */
export function documentModel(view: ProjectView): DocModel {
  const plan = view.plan();
  const doc = reconcileDocument(view.document(), plan, view.passages());
  return { title: plan.title || view.manifest().title, author: plan.author, language: plan.language || 'en', blocks: lexicalToBlocks(doc) };
}
