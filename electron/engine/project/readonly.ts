import type { DocumentJson, Flag, Passage, PipelineState, Plan, ProjectSummary } from '../../contract/contract.ts';
import { countWords, documentModel, modelText, type ProjectView } from './document/index.ts';
import type { Manifest } from './format.ts';
import { loadProject, type LoadedProject } from './load.ts';

/** A project read without the lock and without touching disk (info, export and recent of projects not open here). */
export class ProjectReader implements ProjectView {
  private constructor(private readonly loaded: LoadedProject) {}

  static async load(dir: string): Promise<ProjectReader> {
    return new ProjectReader(await loadProject(dir));
  }

  get dir(): string {
    return this.loaded.dir;
  }
  get problems() {
    return this.loaded.problems;
  }
  manifest(): Manifest {
    return this.loaded.manifest;
  }
  plan(): Plan {
    return this.loaded.data.plan;
  }
  document(): DocumentJson | null {
    return this.loaded.data.document;
  }
  passages(): Passage[] {
    return this.loaded.data.passages;
  }
  flags(): Flag[] {
    return this.loaded.data.flags;
  }
  pipelineState(): PipelineState {
    return this.loaded.data.pipeline;
  }
  summary(): ProjectSummary {
    return summarize(this, this.loaded.updatedAt);
  }
}

export function summarize(view: ProjectView, updatedAt: string): ProjectSummary {
  const model = documentModel(view);
  return {
    dir: view.dir,
    title: model.title,
    kind: view.plan().kind,
    words: countWords(modelText(model.blocks.filter((b) => b.type !== 'heading'))),
    sections: model.blocks.filter((b) => b.type === 'heading').length,
    passages: view.passages().length,
    step: view.pipelineState().step,
    updatedAt,
  };
}
