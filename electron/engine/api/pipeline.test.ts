import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, Plan } from '../../contract/contract.ts';
import { Engine } from '../engine.ts';
import { storyPlan, tinyModelDir } from '../pipeline/testing.ts';

let engine: Engine;
const events: EngineEvent[] = [];
const options = { candidates: 2, passagesPerPoint: 1, maxTokensPerPassage: 16, promptTokenBudget: 160, seed: 9 };

beforeAll(async () => {
  engine = new Engine({ host: 'inprocess', home: fs.mkdtempSync(path.join(os.tmpdir(), 'lh-api-pipe-')) });
  engine.onEvent((e) => events.push(e));
  await engine.request('generator.load', { modelDir: await tinyModelDir() });
});
afterAll(() => engine.dispose());

async function project(): Promise<string> {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lh-api-proj-')), 'p');
  await engine.request('project.create', { dir, title: 'The Lost Dog', kind: 'story', premise: storyPlan().premise });
  await engine.request('project.savePlan', { dir, plan: storyPlan() });
  return dir;
}

describe('pipeline requests through the engine', () => {
  it('starts, pauses, resumes and skips; a second start is a conflict', async () => {
    const dir = await project();
    expect(await engine.request('write.skip', { dir, pointId: '2.2' })).toBeTruthy();
    const accepted = new Promise<void>((resolve) => {
      const off = engine.onEvent((e) => {
        if (e.type === 'passage.accepted') {
          off();
          resolve();
        }
      });
    });
    await engine.request('write.start', { dir, options });
    expect(await engine.call('write.start', { dir, options })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await accepted;
    const paused = await engine.request('write.pause', { dir });
    expect(paused.step).toBe('paused');
    await engine.request('write.resume', { dir });
    expect(await engine.services.pipeline.wait(dir)).toMatchObject({ step: 'done', done: 3, total: 3 });
    const state = await engine.request('project.open', { dir });
    expect(state.passages.map((p) => p.pointId).sort()).toEqual(['1', '2.1']);
    expect((await engine.request('project.snapshot.list', { dir })).length).toBeGreaterThanOrEqual(2);
  });

  it('edits, chooses, regenerates and transforms passages; flags contradictions in edits and resolves them', async () => {
    const dir = await project();
    await engine.request('write.start', { dir, options: { ...options, candidates: 3 } });
    await engine.services.pipeline.wait(dir);
    const [first] = (await engine.request('project.open', { dir })).passages;
    const edited = await engine.request('passage.edit', { dir, passageId: first!.id, text: "Anna smiled. Anna's brown eyes shone." });
    expect(edited).toMatchObject({ editedByUser: true, text: "Anna smiled. Anna's brown eyes shone." });
    const flag = (await engine.request('project.open', { dir })).flags.find((f) => f.passageId === first!.id);
    expect(flag).toMatchObject({ status: 'open', fact: "Anna's eyes are blue.", evidence: "Anna's brown eyes shone." });
    expect(await engine.request('flag.resolve', { dir, flagId: flag!.id, action: 'keep' })).toMatchObject({ status: 'kept' });
    expect(events.some((e) => e.type === 'flag.updated' && e.flag.id === flag!.id && e.flag.status === 'kept')).toBe(true);
    expect(await engine.call('flag.resolve', { dir, flagId: 'nope', action: 'keep' })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'flagId' } });

    const chosen = await engine.request('passage.choose', { dir, passageId: first!.id, candidate: 1 });
    expect(chosen.text).toBe(chosen.candidates[1]!.text.trim());
    expect(chosen.editedByUser).toBe(false);
    expect(await engine.call('passage.choose', { dir, passageId: first!.id, candidate: 99 })).toMatchObject({ ok: false, error: { code: 'bad_input', field: 'candidate' } });

    const regenerated = await engine.request('passage.regenerate', { dir, passageId: first!.id });
    expect(regenerated.candidates.length).toBeGreaterThan(chosen.candidates.length);
    expect(regenerated.text).toBe(regenerated.candidates[regenerated.chosen]!.text.trim());

    const alternatives = await engine.request('selection.transform', { dir, action: 'rewrite', text: 'Anna found a small dog.', candidates: 3 });
    expect(alternatives.length).toBeGreaterThan(0);
    const combined = alternatives.map((a) => a.scores.combined);
    expect(combined).toEqual([...combined].sort((a, b) => b - a));
  });

  it('keeps reference documents in the knowledge base and retrieves them', async () => {
    const dir = await project();
    const added = await engine.request('reference.add', { dir, name: 'dogs.md', text: 'Dogs need water every day.\n\nA lost dog often stays near the place it was lost.\n\n' + 'Parks close at dusk. '.repeat(200) });
    expect(added.chunks).toBeGreaterThan(1);
    expect(await engine.request('reference.list', { dir })).toEqual([expect.objectContaining({ name: 'dogs.md', chunks: added.chunks })]);
    expect(await engine.call('reference.add', { dir, name: '../escape', text: 'x' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    await engine.request('write.start', { dir, options });
    await engine.services.pipeline.wait(dir);
    expect(await engine.request('reference.remove', { dir, name: 'dogs.md' })).toEqual({ removed: true });
    expect(await engine.request('reference.list', { dir })).toEqual([]);
  });

  it('imports and exports plan files; refuses one that would orphan written passages', async () => {
    const dir = await project();
    const exported = await engine.request('plan.export', { dir });
    const again = await engine.request('plan.import', { dir, text: exported.text });
    expect(again.plan).toEqual(storyPlan());
    expect(again.missing).toEqual([]);
    const bare = await engine.request('plan.import', { dir, text: JSON.stringify({ kind: 'story', premise: 'p', outline: ['1', '2'] }) });
    expect(bare.missing).toEqual(['title', 'setting', 'characters']);
    expect(await engine.call('plan.import', { dir, text: '{"kind":"story","premise":"p","outline":[]}', file: 'mine.json' })).toMatchObject({ ok: false, error: { code: 'bad_input', field: 'outline', file: 'mine.json' } });
    await engine.request('plan.import', { dir, text: exported.text });
    await engine.request('write.start', { dir, options });
    await engine.services.pipeline.wait(dir);
    expect(await engine.call('plan.import', { dir, text: JSON.stringify({ kind: 'story', premise: 'p', outline: ['only one'] }) })).toMatchObject({ ok: false, error: { code: 'conflict', field: 'outline' } });
    expect((await engine.request('project.open', { dir })).plan).toEqual(storyPlan());
  });

  it('refuses to expand a point that has passages, and reports a model that cannot write an outline', async () => {
    const dir = await project();
    await engine.request('write.start', { dir, options });
    await engine.services.pipeline.wait(dir);
    expect(await engine.call('plan.expand', { dir, pointId: '1' })).toMatchObject({ ok: false, error: { code: 'conflict', field: 'pointId' } });
    expect(await engine.call('plan.expand', { dir, pointId: '9' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const fresh = await project();
    const before = (await engine.request('project.open', { dir: fresh })).plan;
    const r = await engine.call('plan.expand', { dir: fresh, pointId: '1' });
    if (r.ok) expect((r.result as Plan).outline[0]!.children).toHaveLength(3);
    else {
      expect(r.error).toMatchObject({ code: 'bad_input', message: expect.stringContaining('distinct sub-points') });
      expect((await engine.request('project.open', { dir: fresh })).plan).toEqual(before);
    }
    const title = await engine.request('plan.generate', { dir: fresh, part: 'title' });
    expect(title.title.length).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'plan.part' && e.part === 'title')).toBe(true);
  });
});
