import path from 'node:path';
import { WriteOptions, type PipelineState } from '../../contract/contract.ts';
import { fail, toApiError } from '../errors.ts';
import { EndpointGenerator } from '../inference/endpoint.ts';
import { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { resolveRoleModel } from '../models/roles.ts';
import type { ProjectStore } from '../project/store.ts';
import { loadClassifier } from '../scoring/classifier.ts';
import type { Relevance } from '../scoring/relevance.ts';
import { ScoringReranker } from '../scoring/reranker.ts';
import type { Services } from '../services.ts';
import type { ContradictionJudge, Embedder, TextGenerator } from '../services/types.ts';
import { loadTemplate } from './context.ts';
import { factExtractor } from './facts.ts';
import { generatorJudge, nliJudge } from './judge.ts';
import { readRunState, RunControl, WriteLoop, type LoopDeps } from './loop.ts';
import { leaves } from './outline.ts';
import { PassageOps } from './passage-ops.ts';
import { PlanOps } from './plan-ops.ts';
import { newRunState, runFile } from './run-state.ts';

interface Running {
  control: RunControl;
  done: Promise<PipelineState>;
}

/**
 * The engine's Write service: one loop per project at a time, run in the background with events; the plan,
 * passage, flag and reference operations around it. Backends: the loaded local generator or an endpoint, and the
 * relevance model (the embedded one unless another folder is given) for reranking and retrieval.
 */
export class PipelineService {
  private readonly runs = new Map<string, Running>();
  private readonly endpoints = new Map<string, Promise<EndpointGenerator>>();
  private readonly nli = new Map<string, Promise<ContradictionJudge>>();

  readonly passages: PassageOps;
  readonly plans: PlanOps;

  constructor(private readonly services: Services) {
    // Touch the services this one uses so they are disposed after it (disposers run in reverse order): a running
    // loop is stopped before the projects it writes to are closed.
    void services.projects;
    void services.generator;
    void services.scoring;
    this.passages = new PassageOps(this);
    this.plans = new PlanOps(this);
  }

  get emit(): Services['emit'] {
    return this.services.emit;
  }

  /** The loaded local model, if any. */
  localGenerator(): TextGenerator | null {
    return this.services.generator.current();
  }

  store(dir: string): Promise<ProjectStore> {
    return this.services.projects.open(dir);
  }

  /**
   * The generator for a run: the endpoint when one is given, else the loaded local model, else the model that holds
   * the generator role (the project's choice, else the global one), loaded now.
   */
  async generator(endpoint?: string, project?: string): Promise<TextGenerator> {
    if (endpoint) {
      let p = this.endpoints.get(endpoint);
      if (!p) {
        p = EndpointGenerator.connect({ url: endpoint });
        this.endpoints.set(endpoint, p);
        p.catch(() => this.endpoints.delete(endpoint));
      }
      return p;
    }
    const local = this.services.generator.current();
    if (local) return local;
    const roleModel = await resolveRoleModel(this.services.paths, 'generator', project);
    if (roleModel) {
      await this.services.generator.load(roleModel);
      const loaded = this.services.generator.current();
      if (loaded) return loaded;
    }
    fail('unavailable', 'No generator model is loaded and none is chosen for the generator role.', {
      hint: 'Choose one in Models (or `longhand models use generator <id>`), load one (--model), or give an endpoint (--endpoint URL).',
    });
  }

  /** The shared relevance model (the scoring service's: the relevance role's model unless a folder is given). */
  relevance(dir?: string): Promise<Relevance> {
    return this.services.scoring.relevance(dir);
  }

  /** NLI when a model holds the nli role (the project's choice, else the global one), else the generator answering yes/no. */
  async judge(generator: TextGenerator | null, template: string, project?: string): Promise<ContradictionJudge> {
    const dir = await resolveRoleModel(this.services.paths, 'nli', project);
    if (!dir && generator) return generatorJudge(generator, template);
    // Neither: only exclusive values (two colors, two ages) are flagged, which needs no judge.
    if (!dir) return { contradicts: async () => ({ contradicts: false, confidence: 0 }) };
    let judge = this.nli.get(dir);
    if (!judge) {
      judge = loadClassifier(dir).then((m) => {
        if (m.kind !== 'cross-encoder') fail('bad_input', `The NLI model in ${dir} is not a sequence classifier.`, { file: dir, hint: 'Choose an NLI cross-encoder for the nli role.' });
        return nliJudge(m.model);
      });
      this.nli.set(dir, judge);
      judge.catch(() => this.nli.delete(dir));
    }
    return judge;
  }

  async embedder(dir?: string): Promise<Embedder | null> {
    const rel = await this.relevance(dir);
    return rel.model.kind === 'bi-encoder' ? rel.model.model : null;
  }

  /** The relevance model folder for a project: the one given, else the project's (or global) relevance role. */
  async relevanceDir(store: ProjectStore, explicit?: string): Promise<string> {
    return explicit ?? (await this.services.scoring.defaultModelDir(store.dir));
  }

  async knowledge(store: ProjectStore, relevanceDir?: string): Promise<KnowledgeBase | null> {
    const dir = await this.relevanceDir(store, relevanceDir);
    const embedder = await this.embedder(dir);
    return embedder ? new KnowledgeBase(store, embedder, path.resolve(dir)) : null;
  }

  async deps(store: ProjectStore, options: WriteOptions): Promise<LoopDeps> {
    const plan = store.plan();
    const generator = await this.generator(options.endpoint, store.dir);
    const relevanceDir = await this.relevanceDir(store, options.relevanceModel);
    return {
      store,
      generator,
      reranker: new ScoringReranker(await this.relevance(relevanceDir), { kind: plan.kind }),
      knowledge: await this.knowledge(store, relevanceDir),
      judge: await this.judge(generator, loadTemplate(store, plan.kind).revise.judge, store.dir),
      extract: factExtractor(generator, loadTemplate(store, plan.kind).revise.extract),
      emit: this.services.emit,
    };
  }

  private key(dir: string): string {
    return path.resolve(dir);
  }

  assertIdle(dir: string): void {
    if (this.runs.has(this.key(dir))) fail('conflict', 'Write is running on this project.', { hint: 'Pause or stop it first.' });
  }

  // ───────────── the loop ─────────────

  async start(dir: string, input: Partial<WriteOptions>): Promise<PipelineState> {
    this.assertIdle(dir);
    const store = await this.store(dir);
    const options = WriteOptions.parse(input);
    if (leaves(store.plan().outline).length === 0) fail('bad_input', 'The plan has no outline points to write.', { field: 'outline', hint: 'Add outline points (or generate the plan) first.' });
    const deps = await this.deps(store, options);
    await store.snapshots.create(`Before Write ${new Date().toISOString().replace(/[:]/g, '-').slice(0, 19)}`);
    const control = new RunControl();
    const loop = new WriteLoop(deps, options, control);
    const key = this.key(dir);
    const done = loop.execute().finally(() => this.runs.delete(key));
    done.catch((err: unknown) => this.services.emit({ type: 'error', error: toApiError(err), context: `write ${store.dir}` }));
    this.runs.set(key, { control, done });
    const total = leaves(store.plan().outline).length;
    return { ...store.pipelineState(), step: 'drafting', total };
  }

  /** Resolves when the project's current run ends (with its final state); rejects with its error. */
  async wait(dir: string): Promise<PipelineState> {
    const run = this.runs.get(this.key(dir));
    if (run) return run.done;
    return (await this.store(dir)).pipelineState();
  }

  async resume(dir: string): Promise<PipelineState> {
    const store = await this.store(dir);
    const run = readRunState(store);
    return this.start(dir, run?.options ?? {});
  }

  async pause(dir: string): Promise<PipelineState> {
    return this.halt(dir, 'pause');
  }

  async stop(dir: string): Promise<PipelineState> {
    return this.halt(dir, 'stop');
  }

  private async halt(dir: string, what: 'pause' | 'stop'): Promise<PipelineState> {
    const run = this.runs.get(this.key(dir));
    const store = await this.store(dir);
    if (!run) {
      const state = store.pipelineState();
      if (what === 'stop' && state.step === 'paused') {
        const stopped: PipelineState = { ...state, step: 'stopped', message: 'Stopped.' };
        await store.savePipelineState(stopped);
        this.services.emit({ type: 'pipeline.state', dir: store.dir, state: stopped });
        return stopped;
      }
      return state;
    }
    run.control.request(what);
    return run.done.catch(() => store.pipelineState());
  }

  async skip(dir: string, pointId: string, undo: boolean): Promise<PipelineState> {
    this.assertIdle(dir);
    const store = await this.store(dir);
    const ids = new Set(leaves(store.plan().outline).map((l) => l.point.id));
    const plan = store.plan();
    const under = leaves(plan.outline).filter((l) => l.point.id === pointId || l.ancestors.some((a) => a.id === pointId)).map((l) => l.point.id);
    if (under.length === 0) fail('not_found', `No outline point ${JSON.stringify(pointId)}.`, { field: 'pointId', hint: `Known leaves: ${[...ids].slice(0, 20).join(', ')}` });
    const run = readRunState(store) ?? { ...newRunState(WriteOptions.parse({})), status: 'paused' as const };
    const skipped = undo ? run.skipped.filter((s) => !under.includes(s)) : [...new Set([...run.skipped, ...under])];
    await store.writeJson(runFile, { ...run, skipped });
    return store.pipelineState();
  }

  // ───────────── references ─────────────

  async addReference(dir: string, name: string, text: string): Promise<{ name: string; chunks: number }> {
    const store = await this.store(dir);
    const kb = await this.knowledge(store, readRunState(store)?.options.relevanceModel);
    if (!kb) fail('unavailable', 'The relevance model is a cross-encoder; reference retrieval needs a bi-encoder (embedding) model.', { hint: 'Use the embedded relevance model.' });
    await store.references.add(name, text);
    return kb.add(name, text);
  }

  async removeReference(dir: string, name: string): Promise<boolean> {
    const store = await this.store(dir);
    const kb = await this.knowledge(store, readRunState(store)?.options.relevanceModel);
    const a = await store.references.remove(name);
    const b = kb ? await kb.remove(name) : false;
    return a || b;
  }

  async listReferences(dir: string): Promise<Array<{ name: string; chunks: number; bytes: number }>> {
    const store = await this.store(dir);
    const kb = await this.knowledge(store, readRunState(store)?.options.relevanceModel);
    const indexed = new Map((kb?.list() ?? []).map((r) => [r.name, r]));
    return (await store.references.list()).map((r) => ({ name: r.name, bytes: r.bytes, chunks: indexed.get(r.name)?.chunks ?? 0 }));
  }

  async dispose(): Promise<void> {
    for (const run of this.runs.values()) run.control.request('stop');
    await Promise.allSettled([...this.runs.values()].map((r) => r.done));
    for (const p of this.endpoints.values()) await p.then((g) => g.dispose()).catch(() => undefined);
  }
}
