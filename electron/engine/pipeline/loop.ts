import type { EngineEvent, Passage, PipelineState, Plan, WriteOptions } from '../../contract/contract.ts';
import { fail, LonghandError, toApiError } from '../errors.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { ContradictionJudge, Reranker, TextGenerator } from '../services/types.ts';
import { loadTemplate } from './context.ts';
import { draftCandidates, type DraftRequest } from './draft.ts';
import { countWords, shareTargets, tokensForWords } from './length.ts';
import { leaves, type Leaf } from './outline.ts';
import type { FactExtractor } from './facts.ts';
import { revisePassage } from './revise.ts';
import { newRunState, RunState, runFile } from './run-state.ts';
import type { PipelineStore } from './store-port.ts';

export interface LoopDeps {
  store: PipelineStore;
  generator: TextGenerator;
  reranker: Reranker;
  knowledge: KnowledgeBase | null;
  judge: ContradictionJudge;
  /** How facts are read from passages (default: patterns). */
  extract?: FactExtractor;
  emit: (e: EngineEvent) => void;
}

/** Where a pause/stop request is picked up: between steps, and inside a generation via the abort signal. */
export class RunControl {
  requested: 'pause' | 'stop' | null = null;
  readonly abort = new AbortController();
  request(what: 'pause' | 'stop'): void {
    this.requested = what;
    this.abort.abort();
  }
}

/** A (leaf, index) slot of the document; its passage id is stable so a resumed run finds what was done. */
export const passageId = (pointId: string, index: number) => `${pointId}#${index}`;

const MAX_PASSAGES_PER_LEAF = 64;

export function readRunState(store: PipelineStore): RunState | null {
  const raw = store.readJson<unknown>(runFile);
  const parsed = raw === null ? null : RunState.safeParse(raw);
  return parsed?.success ? parsed.data : null;
}

/**
 * The Write loop: for each leaf of the outline, in order, for each passage slot: draft (k candidates, reranked,
 * the winner accepted — durable before anything else happens), then revise (fact check, maybe a fix). The state
 * is the project itself: a slot with a passage is drafted, a passage in `revised` is revised, so after a crash
 * or kill the loop resumes at the first unfinished step. Passages the user edited are never overwritten.
 */
export class WriteLoop {
  private run: RunState;
  private lastTps = 0;
  constructor(
    private readonly deps: LoopDeps,
    options: WriteOptions,
    private readonly control: RunControl,
  ) {
    const previous = readRunState(deps.store);
    this.run = previous ? { ...previous, options, status: 'running', error: undefined } : newRunState(options);
  }

  async execute(): Promise<PipelineState> {
    const { store } = this.deps;
    const plan = store.plan();
    const ls = leaves(plan.outline);
    if (ls.length === 0) fail('bad_input', 'The plan has no outline points to write.', { field: 'outline', hint: 'Add outline points (or generate the plan) before writing.' });
    await this.saveRun();
    try {
      for (const leaf of ls) {
        if (this.run.skipped.includes(leaf.point.id)) continue;
        for (let index = 0; ; index++) {
          const existing = store.passages().find((p) => p.id === passageId(leaf.point.id, index));
          if (!existing && !this.wantsAnother(plan, leaf, index)) break;
          if (existing && (!this.run.options.revise || this.run.revised.includes(existing.id))) continue; // done before
          this.checkControl();
          await this.state('drafting', leaf);
          const drafted = existing ?? (await this.draftStep(plan, leaf, index));
          // The user may have edited it meanwhile: revise what is stored now.
          const passage = store.passages().find((p) => p.id === drafted.id) ?? drafted;
          if (this.run.options.revise && !this.run.revised.includes(passage.id)) {
            this.checkControl();
            await this.state('revising', leaf);
            const dir = store.dir;
            await revisePassage({ ...this.deps, dir }, passage, passage.editedByUser ? null : { deps: { ...this.deps, dir }, request: this.draftRequest(plan, leaf, index) });
            this.run.revised.push(passage.id);
            await this.saveRun();
          }
        }
      }
      this.run.status = 'done';
      await this.saveRun();
      return await this.state('done');
    } catch (err) {
      if (this.control.requested) {
        const step = this.control.requested === 'pause' ? 'paused' : 'stopped';
        this.run.status = step;
        await this.saveRun();
        return await this.state(step, undefined, step === 'paused' ? 'Paused; resume to continue.' : 'Stopped; Write resumes where it stopped.');
      }
      const apiError = toApiError(err);
      this.run.status = 'error';
      this.run.error = apiError.message;
      await this.saveRun().catch(() => {});
      await this.state('error', undefined, apiError.message).catch(() => {});
      throw err instanceof LonghandError ? err : new LonghandError(apiError);
    }
  }

  /** Whether slot `index` of a leaf should be drafted: n passages per point, or until the leaf's word budget is met. */
  private wantsAnother(plan: Plan, leaf: Leaf, index: number): boolean {
    const target = this.leafTarget(plan, leaf);
    if (target === undefined) return index < this.run.options.passagesPerPoint;
    if (index >= MAX_PASSAGES_PER_LEAF) return false;
    return this.leafWords(leaf, index) < target * 0.9;
  }

  private leafTarget(plan: Plan, leaf: Leaf): number | undefined {
    if (leaf.point.targetWords !== undefined) return leaf.point.targetWords;
    return plan.targetWords ? shareTargets(plan.outline, plan.targetWords).get(leaf.point.id) : undefined;
  }

  private leafWords(leaf: Leaf, before: number): number {
    return this.deps.store
      .passages()
      .filter((p) => p.pointId === leaf.point.id && p.index < before)
      .reduce((s, p) => s + countWords(p.text), 0);
  }

  private draftRequest(plan: Plan, leaf: Leaf, index: number): Omit<DraftRequest, 'mustKeep' | 'passageId'> {
    const target = this.leafTarget(plan, leaf);
    const cap = this.run.options.maxTokensPerPassage;
    const maxTokens = target === undefined ? cap : tokensForWords(target - this.leafWords(leaf, index), this.run.tokensPerWord, cap);
    return {
      plan,
      passages: this.deps.store.passages(),
      leaf,
      index,
      template: loadTemplate(this.deps.store, plan.kind),
      options: this.run.options,
      maxTokens,
      signal: this.control.abort.signal,
    };
  }

  private async draftStep(plan: Plan, leaf: Leaf, index: number): Promise<Passage> {
    const id = passageId(leaf.point.id, index);
    const request = this.draftRequest(plan, leaf, index);
    const d = await draftCandidates({ ...this.deps, dir: this.deps.store.dir }, { ...request, passageId: id });
    const winner = d.candidates[d.winner]!;
    const passage: Passage = { id, pointId: leaf.point.id, index, text: winner.text.trim(), chosen: d.winner, candidates: d.candidates, editedByUser: false, seconds: d.seconds };
    await this.deps.store.acceptPassage(passage);
    this.deps.emit({ type: 'passage.accepted', dir: this.deps.store.dir, passage });
    const words = countWords(passage.text);
    if (words > 0 && winner.tokens > 0) this.run.tokensPerWord = 0.8 * this.run.tokensPerWord + 0.2 * (winner.tokens / words);
    this.run.seconds += d.seconds;
    this.run.drafted += 1;
    this.lastTps = d.stats.tokensPerSecond;
    await this.saveRun();
    return passage;
  }

  private checkControl(): void {
    if (this.control.requested) throw Object.assign(new Error('Cancelled.'), { name: 'AbortError' });
  }

  private async saveRun(): Promise<void> {
    await this.deps.store.writeJson(runFile, this.run);
  }

  private async state(step: PipelineState['step'], leaf?: Leaf, message?: string): Promise<PipelineState> {
    const { store } = this.deps;
    const plan = store.plan();
    const ls = leaves(plan.outline);
    const passages = store.passages();
    const done = ls.filter((l) => this.leafDone(plan, l, passages)).length;
    const perPassage = this.run.drafted > 0 ? this.run.seconds / this.run.drafted : undefined;
    const perLeaf = this.run.options.passagesPerPoint;
    const state: PipelineState = {
      step,
      done,
      total: ls.length,
      ...(leaf ? { currentPointId: leaf.point.id } : {}),
      ...(perPassage !== undefined && step !== 'done' ? { etaSeconds: Math.round(perPassage * perLeaf * (ls.length - done)) } : {}),
      ...(this.lastTps ? { tokensPerSecond: this.lastTps } : {}),
      ...(message ? { message } : {}),
    };
    await store.savePipelineState(state);
    this.deps.emit({ type: 'pipeline.state', dir: store.dir, state });
    this.deps.emit({ type: 'progress', task: `write:${store.dir}`, label: leaf ? leaf.point.text.slice(0, 80) : step, done, total: ls.length, ...(state.etaSeconds !== undefined ? { etaSeconds: state.etaSeconds } : {}) });
    return state;
  }

  private leafDone(plan: Plan, leaf: Leaf, passages: Passage[]): boolean {
    if (this.run.skipped.includes(leaf.point.id)) return true;
    const mine = passages.filter((p) => p.pointId === leaf.point.id);
    const revised = !this.run.options.revise || mine.every((p) => this.run.revised.includes(p.id));
    const target = this.leafTarget(plan, leaf);
    const enough = target === undefined ? mine.length >= this.run.options.passagesPerPoint : mine.length >= MAX_PASSAGES_PER_LEAF || mine.reduce((s, p) => s + countWords(p.text), 0) >= target * 0.9;
    return enough && revised;
  }
}
