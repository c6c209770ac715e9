import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, Passage, WriteOptions } from '../../contract/contract.ts';
import { WriteOptions as WriteOptionsSchema } from '../../contract/contract.ts';
import { LonghandError } from '../errors.ts';
import { ProjectStore } from '../project/store.ts';
import { joinPassages, orderedPassages } from './context.ts';
import { WriteLoop, RunControl, passageId } from './loop.ts';
import type { PipelineStore } from './store-port.ts';
import { newProject, realDeps } from './testing.ts';

const options = (o: Partial<WriteOptions> = {}): WriteOptions => WriteOptionsSchema.parse({ candidates: 3, passagesPerPoint: 2, maxTokensPerPassage: 24, promptTokenBudget: 160, seed: 11, ...o });
const open: ProjectStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => {});
});

/** A store that stops (as a kill would) right before its n-th write: that write and all later ones never happen. */
function crashingStore(store: ProjectStore, n: number): PipelineStore & { writes: number } {
  let writes = 0;
  const gate = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (++writes >= n) throw new Error(`simulated crash before write ${n}`);
    return fn();
  };
  return {
    get dir() { return store.dir; },
    get writes() { return writes; },
    plan: () => store.plan(),
    passages: () => store.passages(),
    flags: () => store.flags(),
    document: () => store.document(),
    pipelineState: () => store.pipelineState(),
    readJson: <T>(name: string) => store.readJson<T>(name),
    savePlan: (p) => gate(() => store.savePlan(p)),
    acceptPassage: (p) => gate(() => store.acceptPassage(p)),
    updatePassage: (p) => gate(() => store.updatePassage(p)),
    saveFlag: (f) => gate(() => store.saveFlag(f)),
    savePipelineState: (s) => gate(() => store.savePipelineState(s)),
    writeJson: (name, v) => gate(() => store.writeJson(name, v)),
  };
}

const textOf = (s: PipelineStore) => joinPassages(orderedPassages(s.plan(), s.passages()));

describe('the Write loop (real tiny ONNX model, embedded relevance model, real project folder)', () => {
  it('writes every leaf in order, within the prompt budget, with events', async () => {
    const store = await newProject();
    open.push(store);
    const events: EngineEvent[] = [];
    const deps = await realDeps(store, events);
    const state = await new WriteLoop(deps, options(), new RunControl()).execute();
    expect(state).toMatchObject({ step: 'done', done: 3, total: 3 });
    const ps = orderedPassages(store.plan(), store.passages());
    expect(ps.map((p) => p.id)).toEqual(['1#0', '1#1', '2.1#0', '2.1#1', '2.2#0', '2.2#1']);
    for (const p of ps) {
      expect(p.text.length).toBeGreaterThan(0);
      expect(p.candidates.length).toBeGreaterThan(0);
      expect(p.candidates[p.chosen]!.text.trim()).toBe(p.text);
      expect(p.candidates[p.chosen]!.scores.combined).toBe(Math.max(...p.candidates.map((c) => c.scores.combined)));
    }
    expect(Math.max(...deps.generator.prompts.map((p) => p.tokens))).toBeLessThanOrEqual(160);
    const types = new Set(events.map((e) => e.type));
    for (const t of ['passage.tokens', 'passage.scored', 'passage.accepted', 'pipeline.state', 'progress']) expect(types).toContain(t);
    expect(store.pipelineState().step).toBe('done');
    // the end of the story is told it is the end
    expect(deps.generator.prompts.at(-1)!.prompt).toContain('end of the story');
  });

  it('resumes after a crash between any two steps and ends with the same document', async () => {
    const reference = await newProject();
    open.push(reference);
    const o = options({ passagesPerPoint: 1, candidates: 2 });
    const counting = crashingStore(reference, Infinity);
    await new WriteLoop({ ...(await realDeps(reference)), store: counting }, o, new RunControl()).execute();
    const expected = textOf(reference);
    const total = counting.writes;
    expect(total).toBeGreaterThan(8);
    const deps = await realDeps(reference);
    for (let n = 1; n <= total; n++) {
      let store = await newProject();
      await expect(new WriteLoop({ ...deps, store: crashingStore(store, n) }, o, new RunControl()).execute()).rejects.toThrow(/simulated crash/);
      const dir = store.dir;
      await store.close();
      store = await ProjectStore.open(dir);
      open.push(store);
      const had = store.passages().length;
      const before = deps.generator.prompts.length;
      const state = await new WriteLoop({ ...deps, store }, o, new RunControl()).execute();
      const drafts = deps.generator.prompts.slice(before).filter((p) => !p.prompt.includes('Does the statement contradict')).length;
      expect(state.step, `crash before write ${n}`).toBe('done');
      expect(textOf(store), `crash before write ${n}`).toBe(expected);
      expect(store.passages()).toHaveLength(3);
      // nothing accepted before the crash is drafted again
      expect(drafts, `crash before write ${n}`).toBe(3 - had);
      expect(store.readJson('ledger'), `crash before write ${n}`).toEqual(reference.readJson('ledger'));
      await store.close();
      open.pop();
    }
  });

  it('never overwrites a passage the user edited, and later prompts use the edited text', async () => {
    const store = await newProject();
    open.push(store);
    const deps = await realDeps(store);
    const control = new RunControl();
    // pause as soon as the first passage is accepted
    const loop = new WriteLoop({ ...deps, emit: (e) => e.type === 'passage.accepted' && control.request('pause') }, options({ passagesPerPoint: 1 }), control);
    expect((await loop.execute()).step).toBe('paused');
    const first = store.passages().find((p) => p.id === passageId('1', 0))!;
    const edited: Passage = { ...first, text: 'Anna whistled a zebraphone tune.', editedByUser: true };
    await store.updatePassage(edited);
    const state = await new WriteLoop(deps, options({ passagesPerPoint: 1 }), new RunControl()).execute();
    expect(state.step).toBe('done');
    expect(store.passages().find((p) => p.id === first.id)!.text).toBe('Anna whistled a zebraphone tune.');
    const later = deps.generator.prompts.filter((p) => !p.prompt.includes('Does the statement contradict'));
    expect(later.some((p) => p.prompt.includes('zebraphone tune'))).toBe(true);
  });

  it('flags a planted contradiction ("Anna\'s eyes are blue", then "Anna\'s brown eyes") and keeps a fix only if consistent', async () => {
    const store = await newProject();
    open.push(store);
    const events: EngineEvent[] = [];
    const deps = await realDeps(store, events);
    const control = new RunControl();
    await new WriteLoop({ ...deps, emit: (e) => e.type === 'passage.accepted' && control.request('pause') }, options({ passagesPerPoint: 1, revise: false }), control).execute();
    const first = store.passages()[0]!;
    await store.updatePassage({ ...first, text: "Anna ran to the park. Anna's brown eyes were wide.", candidates: first.candidates.map((c, i) => (i === first.chosen ? { ...c, text: "Anna ran to the park. Anna's brown eyes were wide." } : c)) });
    await new WriteLoop(deps, options({ passagesPerPoint: 1 }), new RunControl()).execute();
    const flag = store.flags().find((f) => f.passageId === first.id);
    expect(flag).toMatchObject({ entity: 'Anna', fact: "Anna's eyes are blue.", evidence: "Anna's brown eyes were wide." });
    expect(events.some((e) => e.type === 'flag.raised' && e.flag.id === flag!.id)).toBe(true);
    const now = store.passages().find((p) => p.id === first.id)!;
    if (flag!.status === 'fixed') expect(now.text).not.toMatch(/brown eyes/);
    else expect(flag!.status).toBe('open');
    // no flag on passages that say nothing about Anna's eyes
    expect(store.flags().every((f) => f.passageId === first.id)).toBe(true);
  });

  it('stops with a clear error when the model emits only stop tokens, leaving the project resumable', async () => {
    const store = await newProject();
    open.push(store);
    const deps = await realDeps(store);
    const err = await new WriteLoop({ ...deps, generator: await emptyGenerator() }, options(), new RunControl()).execute().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LonghandError);
    expect((err as LonghandError).apiError).toMatchObject({ code: 'bad_input', message: expect.stringContaining('only stop tokens') });
    expect(store.pipelineState().step).toBe('error');
    expect(store.passages()).toHaveLength(0);
    const state = await new WriteLoop(deps, options({ passagesPerPoint: 1 }), new RunControl()).execute();
    expect(state.step).toBe('done');
  });
});

/** The same tiny model with every token declared end-of-sequence: a real model that can only stop. */
async function emptyGenerator() {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { tinyModelDir, tempDir } = await import('./testing.ts');
  const { OnnxGenerator } = await import('../inference/generator.ts');
  const src = await tinyModelDir();
  const dir = tempDir('lh-pipe-silent-');
  fs.cpSync(src, dir, { recursive: true });
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { vocab_size: number; eos_token_id: unknown };
  config.eos_token_id = Array.from({ length: config.vocab_size }, (_, i) => i);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  fs.rmSync(path.join(dir, 'generation_config.json'), { force: true });
  return OnnxGenerator.load(dir);
}
