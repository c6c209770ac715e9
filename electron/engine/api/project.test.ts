import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../contract/contract.ts';
import { Engine } from '../engine.ts';
import { buildDocumentJson } from '../project/document/build.ts';
import { passage, samplePlan, tempDir } from '../project/testing.ts';

const engines: Engine[] = [];
function engine() {
  const e = new Engine({ host: 'inprocess', home: tempDir('lh-home-') });
  engines.push(e);
  const events: EngineEvent[] = [];
  e.onEvent((ev) => events.push(ev));
  return { e, events };
}
afterEach(async () => {
  for (const e of engines.splice(0)) await e.dispose();
});

describe('project.* handlers', () => {
  it('create → save → snapshot → export → close → recent, one shared store per folder', async () => {
    const { e, events } = engine();
    const created = await e.request('project.create', { title: 'Harbour Lights', kind: 'story', premise: 'A storm.' });
    const dir = created.summary.dir;
    expect(dir).toBe(path.join(e.paths.projects, 'harbour-lights'));
    expect(created.plan).toMatchObject({ kind: 'story', premise: 'A storm.', title: 'Harbour Lights' });
    await e.request('project.savePlan', { dir, plan: { ...samplePlan(), title: 'Harbour Lights' } });
    const store = await e.services.projects.open(dir);
    expect(await e.services.projects.open(dir)).toBe(store);
    await store.acceptPassage(passage('a1', 'p1', 0, 'The sea rose.'));
    const doc = buildDocumentJson(store.plan(), store.passages());
    const saved = await e.request('project.saveDocument', { dir, document: doc });
    expect(events).toContainEqual({ type: 'project.saved', dir, at: saved.savedAt });
    const snap = await e.request('project.snapshot.create', { dir, name: 'first' });
    await store.updatePassage(passage('a1', 'p1', 0, 'The sea fell.'));
    await e.request('project.saveDocument', { dir, document: buildDocumentJson(store.plan(), store.passages()) });
    expect(await e.request('project.snapshot.list', { dir })).toEqual([snap]);
    const diff = await e.request('project.snapshot.diff', { dir, from: snap.id, to: 'current' });
    expect(diff.filter((d) => d.op !== 'equal')).toEqual([{ op: 'delete', text: 'rose' }, { op: 'insert', text: 'fell' }]);
    const out = path.join(tempDir('lh-out-'), 'book.md');
    const r = await e.request('project.export', { dir, format: 'md', out });
    expect(fs.readFileSync(r.out, 'utf8')).toContain('The sea fell.');
    expect(events.filter((ev) => ev.type === 'progress').at(-1)).toMatchObject({ done: 3, total: 3 });
    const copyDir = path.join(tempDir('lh-copy-'), 'copy');
    const copy = await e.request('project.duplicate', { dir, to: copyDir });
    expect(copy.passages.map((p) => p.text)).toEqual(['The sea fell.']);
    expect(await e.request('project.snapshot.list', { dir: copyDir })).toEqual([snap]);
    expect(JSON.parse(fs.readFileSync(path.join(copyDir, 'manifest.json'), 'utf8')).id).not.toBe(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).id);
    expect((await e.call('project.duplicate', { dir, to: copyDir })).ok).toBe(false);
    await e.request('project.close', { dir: copyDir });
    const restored = await e.request('project.snapshot.restore', { dir, id: snap.id });
    expect(restored.passages[0]!.text).toBe('The sea rose.');
    expect(await e.request('project.close', { dir })).toEqual({ closed: true });
    expect(fs.existsSync(path.join(dir, '.lock'))).toBe(false);
    const recent = await e.request('project.recent', {});
    expect(recent.map((s) => [s.dir, s.passages])).toEqual([[copyDir, 1], [dir, 1]]);
    fs.rmSync(copyDir, { recursive: true });
    expect((await e.request('project.recent', {})).map((s) => s.dir)).toEqual([dir]);
  });

  it('answers bad input with clear error values, never crashes', async () => {
    const { e } = engine();
    const dir = (await e.request('project.create', { title: 'T', kind: 'article' })).summary.dir;
    const bad = async (name: string, args: unknown) => {
      const r = await e.call(name, args);
      expect(r.ok).toBe(false);
      return (r as { error: { code: string; message: string; field?: string } }).error;
    };
    expect(await bad('project.open', { dir: path.join(dir, 'nope') })).toMatchObject({ code: 'not_found' });
    expect(await bad('project.export', { dir, format: 'rtf', out: '/tmp/x' })).toMatchObject({ code: 'invalid_request', field: 'format' });
    expect(await bad('project.export', { dir, format: 'md', out: '/nonexistent-folder/x.md' })).toMatchObject({ code: 'not_found', field: 'out' });
    expect(await bad('project.snapshot.restore', { dir, id: '../../etc/passwd' })).toMatchObject({ code: 'bad_input', field: 'id' });
    expect(await bad('project.snapshot.diff', { dir, from: 'missing', to: 'current' })).toMatchObject({ code: 'not_found', field: 'from' });
    expect(await bad('project.create', { dir, title: 'again', kind: 'story' })).toMatchObject({ code: 'conflict' });
    expect((await e.call('system.health', {})).ok).toBe(true);
  });

  it('emits project.recovered when a damaged file is set aside on open', async () => {
    const { e, events } = engine();
    const dir = (await e.request('project.create', { title: 'T', kind: 'story' })).summary.dir;
    await e.request('project.close', { dir });
    fs.writeFileSync(path.join(dir, 'plan.json'), '{"kind": "story", "prem');
    const state = await e.request('project.open', { dir });
    expect(state.recovered).toEqual([expect.objectContaining({ file: 'plan.json', movedTo: expect.stringMatching(/^plan\.json\.damaged-/) })]);
    expect(events).toContainEqual({ type: 'project.recovered', dir, files: ['plan.json'] });
    expect(state.plan.kind).toBe('story');
  });
});
