import { WriteOptions, type Flag, type Passage, type PassageCandidate } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { ProjectStore } from '../project/store.ts';
import { fitTail } from './budget.ts';
import { loadTemplate } from './context.ts';
import { draftCandidates } from './draft.ts';
import { factExtractor } from './facts.ts';
import { forget } from './ledger.ts';
import { readRunState } from './loop.ts';
import { leaves } from './outline.ts';
import { loadLedger, revisePassage, tryFix, type ReviseDeps } from './revise.ts';
import type { PipelineService } from './service.ts';
import { fill } from './templates.ts';

/** What a person does to one passage (choose, edit, regenerate, transform a selection) and to a flag. */
export class PassageOps {
  constructor(private readonly svc: PipelineService) {}

  private async passage(store: ProjectStore, passageId: string): Promise<Passage> {
    const p = store.passages().find((x) => x.id === passageId);
    if (!p) fail('not_found', `No passage ${JSON.stringify(passageId)} in this project.`, { field: 'passageId' });
    return p;
  }

  private async reviseDeps(store: ProjectStore): Promise<ReviseDeps & { options: WriteOptions }> {
    const options = readRunState(store)?.options ?? WriteOptions.parse({});
    return { ...(await this.svc.deps(store, options)), dir: store.dir, options };
  }

  async choose(dir: string, passageId: string, candidate: number): Promise<Passage> {
    const store = await this.svc.store(dir);
    const p = await this.passage(store, passageId);
    const c = p.candidates[candidate];
    if (!c) fail('bad_input', `Passage ${passageId} has ${p.candidates.length} candidates; there is no candidate ${candidate}.`, { field: 'candidate' });
    const next: Passage = { ...p, chosen: candidate, text: c.text.trim(), editedByUser: false };
    await store.updatePassage(next);
    await this.recheck(store, next);
    this.svc.emit({ type: 'passage.accepted', dir: store.dir, passage: next });
    return next;
  }

  async edit(dir: string, passageId: string, text: string): Promise<Passage> {
    const store = await this.svc.store(dir);
    const p = await this.passage(store, passageId);
    const next: Passage = { ...p, text, editedByUser: true };
    await store.updatePassage(next);
    await this.recheck(store, next);
    this.svc.emit({ type: 'passage.accepted', dir: store.dir, passage: next });
    return next;
  }

  /** Re-records a changed passage's facts, flagging contradictions (never rewriting it). */
  private async recheck(store: ProjectStore, p: Passage): Promise<void> {
    const generator = this.svc.localGenerator();
    const template = loadTemplate(store, store.plan().kind);
    const judge = await this.svc.judge(generator, template.revise.judge, store.dir);
    const extract = generator ? factExtractor(generator, template.revise.extract) : undefined;
    await revisePassage({ store, judge, extract, emit: this.svc.emit, dir: store.dir }, p, null);
  }

  /** Redo one step: the passage drafted again (new candidates first, the old ones kept as alternatives), then revised. */
  async regenerate(dir: string, passageId: string): Promise<Passage> {
    this.svc.assertIdle(dir);
    const store = await this.svc.store(dir);
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
    this.svc.emit({ type: 'passage.accepted', dir: store.dir, passage: next });
    return next;
  }

  async transform(dir: string, action: 'rewrite' | 'expand' | 'shorten' | 'continue', text: string, before: string, k: number): Promise<PassageCandidate[]> {
    const store = await this.svc.store(dir);
    const options = readRunState(store)?.options ?? WriteOptions.parse({});
    const { generator, reranker } = await this.svc.deps(store, options);
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
    const store = await this.svc.store(dir);
    const flag = store.flags().find((f) => f.id === flagId);
    if (!flag) fail('not_found', `No flag ${JSON.stringify(flagId)} in this project.`, { field: 'flagId' });
    if (action !== 'fix') {
      const next: Flag = { ...flag, status: action === 'keep' ? 'kept' : 'dismissed' };
      await store.saveFlag(next);
      this.svc.emit({ type: 'flag.updated', dir: store.dir, flag: next });
      return next;
    }
    this.svc.assertIdle(dir);
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
    this.svc.emit({ type: 'flag.updated', dir: store.dir, flag: updated });
    this.svc.emit({ type: 'passage.accepted', dir: store.dir, passage: fixed });
    return updated;
  }
}
