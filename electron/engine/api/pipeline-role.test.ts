import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { storyPlan, tinyModelDir } from '../pipeline/testing.ts';

let engine: Engine;
beforeAll(() => {
  engine = new Engine({ host: 'inprocess', home: fs.mkdtempSync(path.join(os.tmpdir(), 'lh-api-role-')) });
});
afterAll(() => engine.dispose());

describe('the pipeline and the generator role', () => {
  it('says what to do when no model is loaded and none holds the role', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lh-role-proj-')), 'p');
    await engine.request('project.create', { dir, title: 'T', kind: 'story', premise: storyPlan().premise });
    await engine.request('project.savePlan', { dir, plan: storyPlan() });
    const reply = await engine.call('write.start', { dir, options: { candidates: 1, passagesPerPoint: 1, maxTokensPerPassage: 8 } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    if (!reply.ok) expect(reply.error.hint).toContain('generator');
  });

  it('loads the model chosen for the generator role when none is loaded', async () => {
    const imported = await engine.request('models.import', { dir: await tinyModelDir(), role: 'generator' });
    await engine.request('models.use', { role: 'generator', id: imported.id });
    expect(engine.services.generator.current()).toBeNull();
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lh-role-proj-')), 'p');
    await engine.request('project.create', { dir, title: 'T', kind: 'story', premise: storyPlan().premise });
    await engine.request('project.savePlan', { dir, plan: storyPlan() });
    const streamed = new Map<string, string>();
    const off = engine.onEvent((e) => {
      if (e.type === 'passage.tokens') streamed.set(`${e.passageId}/${e.candidate}`, (streamed.get(`${e.passageId}/${e.candidate}`) ?? '') + e.text);
    });
    await engine.request('write.start', { dir, options: { candidates: 1, passagesPerPoint: 1, maxTokensPerPassage: 8, seed: 1 } });
    expect(await engine.services.pipeline.wait(dir)).toMatchObject({ step: 'done' });
    off();
    // What the author watched stream is what was accepted (the first passage's opening words included;
    // acceptance may only trim a trailing unfinished sentence).
    const first = (await engine.request('project.open', { dir })).passages[0]!;
    const watched = (streamed.get(`${first.id}/0`) ?? '').replace(/\s+/g, ' ').trim();
    expect(watched.startsWith(first.text.replace(/\s+/g, ' ').trim())).toBe(true);
    expect(engine.services.generator.status()).toMatchObject({ loaded: true });
    expect((await engine.request('project.open', { dir })).passages.length).toBeGreaterThan(0);
  });
});
