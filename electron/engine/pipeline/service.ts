import path from 'node:path';
import {
  WriteOptions,
  type Flag,
  type Passage,
  type PassageCandidate,
  type PipelineState,
  type Plan,
} from '../../contract/contract.ts';
import { fail, toApiError } from '../errors.ts';
import { EndpointGenerator } from '../inference/endpoint.ts';
import { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { ProjectStore } from '../project/store.ts';
import { resolveRoleModel } from '../models/roles.ts';
import { loadClassifier } from '../scoring/classifier.ts';
import type { Relevance } from '../scoring/relevance.ts';
import { ScoringReranker } from '../scoring/reranker.ts';
import type { Services } from '../services.ts';
import type { ContradictionJudge, Embedder, TextGenerator } from '../services/types.ts';
import { fitTail } from './budget.ts';
import { loadTemplate } from './context.ts';
import { draftCandidates } from './draft.ts';
import { factExtractor } from './facts.ts';
import { generatorJudge, nliJudge } from './judge.ts';
import { leaves } from './outline.ts';
import { readRunState, RunControl, WriteLoop, type LoopDeps } from './loop.ts';
import { PlanPart } from './plan-file.ts';
import { Planner } from './planner.ts';
import { forget } from './ledger.ts';
import { loadLedger, revisePassage, tryFix, type ReviseDeps } from './revise.ts';
import { newRunState, runFile } from './run-state.ts';
import { fill } from './templates.ts';

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
  private nli: Promise<ContradictionJudge> | null = null;

  constructor(private readonly services: Services) {
    // Touch the services this one uses so they are disposed after it (disposers run in reverse order): a running
    // loop is stopped before the projects it writes to are closed.
    void services.projects;
    void services.generator;
    void services.scoring;
  }

  store(dir: string): Promise<ProjectStore> {
    return this.services.projects.open(dir);
  }

  async generator(endpoint?: string): Promise<TextGenerator> {
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
    if (!local) fail('unavailable', 'No generator model is loaded.', { hint: 'Load a model first (generator.load / --model), or give an endpoint (--endpoint URL).' });
    return local;
  }

  /** The shared relevance model (the scoring service's: the relevance role's model unless a folder is given). */
  relevance(dir?: string): Promise<Relevance> {
    return this.services.scoring.relevance(dir);
  }

  /** NLI when a model holds the nli role, else the generator answering yes/no. */
  private async judge(generator: TextGenerator, template: string): Promise<ContradictionJudge> {
    const dir = await resolveRoleModel(this.services.paths, 'nli');
    if (!dir) return generatorJudge(generator, template);
    this.nli ??= loadClassifier(dir).then((m) => {
      if (m.kind !== 'cross-encoder') fail('bad_input', `The NLI model in ${dir} is not a sequence classifier.`, { file: dir, hint: 'Install an NLI cross-encoder for the nli role.' });
      return nliJudge(m.model);
    });
    this.nli.catch(() => (this.nli = null));
    return this.nli;
  }

  private async embedder(dir?: string): Promise<Embedder | null> {
    const rel = await this.relevance(dir);
    return rel.model.kind === 'bi-encoder' ? rel.model.model : null;
  }

  private async knowledge(store: ProjectStore, relevanceDir?: string): Promise<KnowledgeBase | null> {
    const embedder = await this.embedder(relevanceDir);
    return embedder ? new KnowledgeBase(store, embedder) : null;
  }

  private async deps(store: ProjectStore, options: WriteOptions): Promise<LoopDeps> {
    const plan = store.plan();
    const generator = await this.generator(options.endpoint);
    return {
      store,
      generator,
      reranker: new ScoringReranker(await this.relevance(options.relevanceModel), { kind: plan.kind }),
      knowledge: await this.knowledge(store, options.relevanceModel),
      judge: await this.judge(generator, loadTemplate(store, plan.kind).revise.judge),
      extract: factExtractor(generator, loadTemplate(store, plan.kind).revise.extract),
      emit: this.services.emit,
    };
  }

  private key(dir: string): string {
    return path.resolve(dir);
  }

  private assertIdle(dir: string): void {
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

  // ───────────── passages ─────────────

  private async passage(store: ProjectStore, passageId: string): Promise<Passage> {
    const p = store.passages().find((x) => x.id === passageId);
    if (!p) fail('not_found', `No passage ${JSON.stringify(passageId)} in this project.`, { field: 'passageId' });
    return p;
  }

  private async reviseDeps(store: ProjectStore): Promise<ReviseDeps & { options: WriteOptions }> {
    const options = readRunState(store)?.options ?? WriteOptions.parse({});
    return { ...(await this.deps(store, options)), dir: store.dir, options };
  }

  async choose(dir: string, passageId: string, candidate: number): Promise<Passage> {
    const store = await this.store(dir);
    const p = await this.passage(store, passageId);
    const c = p.candidates[candidate];
    if (!c) fail('bad_input', `Passage ${passageId} has ${p.candidates.length} candidates; there is no candidate ${candidate}.`, { field: 'candidate' });
    const next: Passage = { ...p, chosen: candidate, text: c.text.trim(), editedByUser: false };
    await store.updatePassage(next);
    await this.recheck(store, next);
    this.services.emit({ type: 'passage.accepted', dir: store.dir, passage: next });
    return next;
  }

  async edit(dir: string, passageId: string, text: string): Promise<Passage> {
    const store = await this.store(dir);
    const p = await this.passage(store, passageId);
    const next: Passage = { ...p, text, editedByUser: true };
    await store.updatePassage(next);
    await this.recheck(store, next);
    this.services.emit({ type: 'passage.accepted', dir: store.dir, passage: next });
    return next;
  }

  /** Re-records a changed passage's facts, flagging contradictions (never rewriting it). */
  private async recheck(store: ProjectStore, p: Passage): Promise<void> {
    const generator = this.services.generator.current();
    const template = loadTemplate(store, store.plan().kind);
    // Without a model, only exclusive values (two colors, two ages) are flagged: no judge is at hand.
    const judge = generator ? await this.judge(generator, template.revise.judge) : { contradicts: async () => ({ contradicts: false, confidence: 0 }) };
    const extract = generator ? factExtractor(generator, template.revise.extract) : undefined;
    await revisePassage({ store, judge, extract, emit: this.services.emit, dir: store.dir }, p, null);
  }

  /** Redo one step: the passage drafted again (new candidates first, the old ones kept as alternatives), then revised. */
  async regenerate(dir: string, passageId: string): Promise<Passage> {
    this.assertIdle(dir);
    const store = await this.store(dir);
    const p = await this.passage(store, passageId);
    const plan = store.plan();
    const leaf = leaves(plan.outline).find((l) => l.point.id === p.pointId);
    if (!leaf) fail('not_found', `Passage ${passageId} belongs to outline point ${p.pointId}, which is no longer in the plan.`, { field: 'passageId' });
    const deps = await this.reviseDeps(store);
    const options = { ...deps.options, seed: (deps.options.seed ?? 0) + Math.floor(Math.random() * 1e6) };
    const request = { plan, passages: store.passages(), leaf, index: p.index, template: loadTemplate(store, plan.kind), options, maxTokens: deps.options.maxTokensPerPassage };
    const d = await draftCandidates(deps, { ...request, passageId });
    const candidates = [...d.candidates, ...p.candidates];
    let next: Passage = { ...p, text: d.candidates[d.winner]!.text.trim(), chosen: d.winner, candidates, editedByUser: false, seconds: d.seconds };
    await store.updatePassage(next);
    next = await revisePassage(deps, next, { deps, request });
    this.services.emit({ type: 'passage.accepted', dir: store.dir, passage: next });
    return next;
  }

  async transform(dir: string, action: 'rewrite' | 'expand' | 'shorten' | 'continue', text: string, before: string, k: number): Promise<PassageCandidate[]> {
    const store = await this.store(dir);
    const options = readRunState(store)?.options ?? WriteOptions.parse({});
    const { generator, reranker } = await this.deps(store, options);
    const template = loadTemplate(store, store.plan().kind);
    const count = (t: string) => generator.countTokens(t);
    const textTokens = count(text);
    const factor = { rewrite: 1.3, expand: 2.2, shorten: 0.7, continue: 0 }[action];
    const maxTokens = Math.max(16, Math.min(1024, action === 'continue' ? options.maxTokensPerPassage : Math.ceil(textTokens * factor) + 8));
    const room = generator.contextLength() - maxTokens;
    const skeleton = count(fill(template.transform[action], { text: '', before: '' }));
    if (skeleton + (action === 'continue' ? 0 : textTokens) > room) {
      fail('limit', `The selection (${textTokens} tokens) is too long for the model's context (${generator.contextLength()}).`, { field: 'text', hint: 'Select a shorter passage.' });
    }
    const beforeCut = action === 'continue' ? fitTail(before ? `${before}\n\n` : '', Math.floor((room - skeleton) / 2), count) : '';
    const textCut = action === 'continue' ? fitTail(text, room - skeleton - count(beforeCut), count) : text;
    const prompt = fill(template.transform[action], { text: textCut, before: beforeCut });
    const { candidates } = await generator.generate({
      prompt,
      candidates: k,
      sampling: { maxTokens, temperature: options.temperature, topK: 0, topP: 0.95, minP: 0, repetitionPenalty: 1.1, frequencyPenalty: 0, stop: action === 'continue' ? [] : ['\n\n'] },
    });
    const usable = candidates.filter((c) => c.text.trim());
    if (usable.length === 0) fail('bad_input', 'The model produced no text for this selection (only stop tokens).', { hint: 'Try again, or use another model.' });
    const ranked = await reranker.rerank({ query: action === 'continue' ? fitTail(text, 64, count) : text, prefix: before.slice(-4000), prompt }, usable.map((c) => ({ text: c.text.trim(), meanLogprob: c.meanLogprob })));
    return ranked.candidates.map((c, i) => ({ text: c.text, scores: c.scores, tokens: usable[i]!.tokens })).sort((a, b) => b.scores.combined - a.scores.combined);
  }

  async resolveFlag(dir: string, flagId: string, action: 'fix' | 'dismiss' | 'keep'): Promise<Flag> {
    const store = await this.store(dir);
    const flag = store.flags().find((f) => f.id === flagId);
    if (!flag) fail('not_found', `No flag ${JSON.stringify(flagId)} in this project.`, { field: 'flagId' });
    if (action !== 'fix') {
      const next: Flag = { ...flag, status: action === 'keep' ? 'kept' : 'dismissed' };
      await store.saveFlag(next);
      this.services.emit({ type: 'flag.updated', dir: store.dir, flag: next });
      return next;
    }
    this.assertIdle(dir);
    const p = await this.passage(store, flag.passageId);
    const plan = store.plan();
    const leaf = leaves(plan.outline).find((l) => l.point.id === p.pointId);
    if (!leaf) fail('not_found', `The flagged passage's outline point ${p.pointId} is no longer in the plan.`);
    const deps = await this.reviseDeps(store);
    const request = { plan, passages: store.passages(), leaf, index: p.index, template: loadTemplate(store, plan.kind), options: deps.options, maxTokens: deps.options.maxTokensPerPassage };
    const names = plan.characters.map((c) => c.name);
    const fixed = await tryFix(deps, p, request, [flag.fact], forget(loadLedger(store), p.id), names);
    if (!fixed) {
      fail('bad_input', 'No redraft both kept the fact and scored at least as well as the current text; the flag stays open.', {
        field: 'flagId',
        hint: 'Edit the passage yourself, regenerate it, or keep the flag.',
      });
    }
    await store.updatePassage(fixed);
    await this.recheck(store, fixed);
    const updated: Flag = { ...flag, status: 'fixed' };
    await store.saveFlag(updated);
    this.services.emit({ type: 'flag.updated', dir: store.dir, flag: updated });
    this.services.emit({ type: 'passage.accepted', dir: store.dir, passage: fixed });
    return updated;
  }

  // ───────────── plan ─────────────

  async generatePlan(dir: string, part: 'all' | 'title' | 'setting' | 'characters' | 'outline', endpoint?: string): Promise<Plan> {
    const store = await this.store(dir);
    const plan = store.plan();
    if (!plan.premise.trim()) fail('bad_input', 'The project has no premise (or brief) to plan from.', { field: 'premise', hint: 'Write the premise first.' });
    const options = readRunState(store)?.options ?? WriteOptions.parse({});
    const generator = await this.generator(endpoint ?? options.endpoint);
    const planner = new Planner(generator, loadTemplate(store, plan.kind), { seed: options.seed });
    const parts = part === 'all' ? missingParts(plan) : [PlanPart.parse(part)];
    let next = plan;
    for (const p of parts) {
      next = await planner.part(next, p);
      await store.savePlan(next);
      this.services.emit({ type: 'plan.part', dir: store.dir, part: p, plan: next });
    }
    return next;
  }

  async expand(dir: string, pointId: string): Promise<Plan> {
    this.assertIdle(dir);
    const store = await this.store(dir);
    const options = readRunState(store)?.options ?? WriteOptions.parse({});
    const plan = store.plan();
    if (store.passages().some((p) => p.pointId === pointId)) {
      fail('conflict', `Outline point ${pointId} already has passages; expanding it would orphan them.`, { field: 'pointId', hint: 'Expand points that have not been written yet.' });
    }
    const next = await new Planner(await this.generator(options.endpoint), loadTemplate(store, plan.kind), { seed: options.seed }).expand(plan, pointId);
    await store.savePlan(next);
    this.services.emit({ type: 'plan.part', dir: store.dir, part: 'outline', plan: next });
    return next;
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

export function missingParts(plan: Plan): PlanPart[] {
  const parts: PlanPart[] = [];
  if (!plan.title) parts.push('title');
  if (!plan.setting) parts.push('setting');
  if (plan.kind !== 'story' && !plan.purpose) parts.push('purpose');
  if (plan.kind === 'story' && plan.characters.length === 0) parts.push('characters');
  if (plan.kind !== 'story' && plan.keyFacts.length === 0) parts.push('keyFacts');
  if (plan.outline.length === 0) parts.push('outline');
  return parts;
}
