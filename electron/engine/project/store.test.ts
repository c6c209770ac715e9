import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeEntry } from './journal.ts';
import { Files } from './format.ts';
import { ProjectStore } from './store.ts';
import { passage, samplePlan, tempDir } from './testing.ts';

const open: ProjectStore[] = [];
async function create(dir = path.join(tempDir(), 'novel')) {
  const s = await ProjectStore.create(dir, { title: 'Draft', kind: 'story', premise: 'p' });
  open.push(s);
  return s;
}
async function reopen(dir: string) {
  const s = await ProjectStore.open(dir);
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe('ProjectStore', () => {
  it('creates a versioned project folder and round-trips every part', async () => {
    const s = await create();
    expect(JSON.parse(fs.readFileSync(path.join(s.dir, Files.manifest), 'utf8'))).toMatchObject({ format: 'longhand-project', formatVersion: 1, kind: 'story', title: 'Draft' });
    await s.savePlan(samplePlan());
    await s.acceptPassage(passage('a1', 'p1', 0, 'Mara walked the shore at dawn.'));
    await s.acceptPassage(passage('a2', 'p2', 0, 'The boat rocked.'));
    await s.updatePassage({ ...passage('a2', 'p2', 0, 'The boat rocked hard.'), editedByUser: true });
    await s.saveFlag({ id: 'f1', passageId: 'a1', entity: 'Mara', fact: 'lives alone', evidence: 'x', status: 'open' });
    await s.savePipelineState({ step: 'drafting', done: 1, total: 4 });
    await s.writeJson('ledger', { facts: ['Mara lives alone.'] });
    await s.references.add('notes.txt', 'Lighthouses of the north.');
    await s.close();
    const r = await reopen(s.dir);
    expect(r.plan().title).toBe('The Keeper’s Map');
    expect(r.passages().map((p) => [p.id, p.text])).toEqual([['a1', 'Mara walked the shore at dawn.'], ['a2', 'The boat rocked hard.']]);
    expect(r.flags()).toHaveLength(1);
    expect(r.pipelineState().step).toBe('drafting');
    expect(r.readJson('ledger')).toEqual({ facts: ['Mara lives alone.'] });
    expect(await r.references.list()).toEqual([{ name: 'notes.txt', bytes: 25 }]);
    expect(r.recovered).toEqual([]);
    expect(r.summary()).toMatchObject({ title: 'The Keeper’s Map', passages: 2, sections: 4, words: 10, step: 'drafting' });
    expect(JSON.parse(fs.readFileSync(path.join(s.dir, Files.manifest), 'utf8')).title).toBe('The Keeper’s Map');
  });

  it('journals each save durably: the journal holds it before any checkpoint', async () => {
    const s = await create();
    await s.acceptPassage(passage('a1', 'p1', 0, 'One.'));
    const journal = fs.readFileSync(path.join(s.dir, Files.journal), 'utf8');
    expect(journal).toMatch(/^[0-9a-f]{8} \{.*"op":"passage".*\}\n$/);
    expect(JSON.parse(fs.readFileSync(path.join(s.dir, Files.passages), 'utf8'))).toEqual([]);
    await s.checkpoint();
    expect(fs.readFileSync(path.join(s.dir, Files.journal), 'utf8')).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(s.dir, Files.passages), 'utf8'))).toHaveLength(1);
  });

  it('replays the journal past the checkpoint and ignores a torn last line', async () => {
    const s = await create();
    await s.close();
    const j = path.join(s.dir, Files.journal);
    const at = new Date().toISOString();
    fs.appendFileSync(j, encodeEntry({ op: 'passage', passage: passage('a1', 'p1', 0, 'Kept.'), seq: 1, at }));
    fs.appendFileSync(j, encodeEntry({ op: 'passage', passage: passage('a2', 'p1', 1, 'Also kept.'), seq: 2, at }));
    fs.appendFileSync(j, encodeEntry({ op: 'passage', passage: passage('a3', 'p1', 2, 'Torn.'), seq: 3, at }).slice(0, 40));
    const r = await reopen(s.dir);
    expect(r.passages().map((p) => p.id)).toEqual(['a1', 'a2']);
    expect(r.recovered).toEqual([]);
    await r.acceptPassage(passage('a4', 'p1', 3, 'After.'));
    await r.close();
    const r2 = await reopen(s.dir);
    expect(r2.passages().map((p) => p.id)).toEqual(['a1', 'a2', 'a4']);
  });

  it('keeps replayed changes through the next checkpoint (open, close at once, reopen)', async () => {
    const s = await create();
    await s.savePlan(samplePlan());
    await s.close();
    const at = new Date().toISOString();
    const doc = { root: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'Typed before the crash.', format: 0 }] }] } };
    fs.appendFileSync(path.join(s.dir, Files.journal), encodeEntry({ op: 'document', document: doc, seq: 100, at }));
    fs.appendFileSync(path.join(s.dir, Files.journal), encodeEntry({ op: 'pipeline', state: { step: 'paused', done: 1, total: 4 }, seq: 101, at }));
    await (await ProjectStore.open(s.dir)).close();
    expect(fs.readFileSync(path.join(s.dir, Files.journal), 'utf8')).toBe('');
    const r = await reopen(s.dir);
    expect(r.document()).toEqual(doc);
    expect(r.pipelineState().step).toBe('paused');
  });

  it('skips journal entries a checkpoint already holds (crash between checkpoint and truncation)', async () => {
    const s = await create();
    await s.acceptPassage(passage('a1', 'p1', 0, 'First.'));
    const journalBefore = fs.readFileSync(path.join(s.dir, Files.journal), 'utf8');
    await s.acceptPassage(passage('a1', 'p1', 0, 'First, revised.'));
    await s.close();
    fs.writeFileSync(path.join(s.dir, Files.journal), journalBefore); // an old entry (seq 1) still there
    const r = await reopen(s.dir);
    expect(r.passages()[0]!.text).toBe('First, revised.');
  });

  it('sets a truncated state file aside, uses the last good snapshot and reports it', async () => {
    const s = await create();
    await s.savePlan(samplePlan());
    await s.acceptPassage(passage('a1', 'p1', 0, 'In the snapshot.'));
    await s.snapshots.create('before');
    await s.acceptPassage(passage('a2', 'p1', 1, 'After the snapshot.'));
    await s.close();
    const file = path.join(s.dir, Files.passages);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.length / 2));
    const r = await reopen(s.dir);
    expect(r.passages().map((p) => p.id)).toEqual(['a1']);
    expect(r.recovered).toHaveLength(1);
    expect(r.recovered[0]).toMatchObject({ file: 'passages.json' });
    expect(r.recovered[0]!.movedTo).toMatch(/^passages\.json\.damaged-/);
    expect(r.recovered[0]!.reason).toMatch(/not valid JSON.*snapshot/);
    expect(fs.readFileSync(path.join(s.dir, r.recovered[0]!.movedTo), 'utf8')).toBe(text.slice(0, text.length / 2));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toHaveLength(1);
    await r.close();
    expect((await reopen(s.dir)).recovered).toEqual([]);
  });

  it('treats a missing state file as damage: snapshot content used, reported, file restored', async () => {
    const s = await create();
    await s.acceptPassage(passage('a1', 'p1', 0, 'Saved.'));
    await s.snapshots.create('s');
    await s.close();
    fs.rmSync(path.join(s.dir, Files.passages));
    const r = await reopen(s.dir);
    expect(r.recovered).toEqual([{ file: 'passages.json', movedTo: '(missing)', reason: expect.stringMatching(/passages\.json is missing; used snapshot/) }]);
    expect(r.passages().map((p) => p.id)).toEqual(['a1']);
    expect(JSON.parse(fs.readFileSync(path.join(s.dir, Files.passages), 'utf8'))).toHaveLength(1);
  });

  it('sets a damaged pipeline data file aside at open and reports it', async () => {
    const s = await create();
    await s.writeJson('ledger', { facts: [] });
    await s.close();
    fs.writeFileSync(path.join(s.dir, 'data', 'ledger.json'), '{"facts": [');
    const r = await reopen(s.dir);
    expect(r.recovered).toEqual([{ file: 'data/ledger.json', movedTo: expect.stringMatching(/^data\/ledger\.json\.damaged-/), reason: expect.stringMatching(/not valid JSON/) }]);
    expect(r.readJson('ledger')).toBeNull();
  });

  it('refuses a project from a newer format version without touching it', async () => {
    const s = await create();
    await s.close();
    const m = path.join(s.dir, Files.manifest);
    const manifest = JSON.parse(fs.readFileSync(m, 'utf8'));
    fs.writeFileSync(m, JSON.stringify({ ...manifest, formatVersion: 99, newField: true }));
    const before = fs.readdirSync(s.dir).sort();
    const err = await ProjectStore.open(s.dir).catch((e: { apiError: unknown }) => e.apiError);
    expect(err).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/newer Longhand.*format 99/) });
    expect(fs.readdirSync(s.dir).sort()).toEqual(before);
    expect(JSON.parse(fs.readFileSync(m, 'utf8')).formatVersion).toBe(99);
  });

  it('locks the project: a second open is a conflict; a dead holder’s lock is stale', async () => {
    const s = await create();
    const err = await ProjectStore.open(s.dir).catch((e: { apiError: unknown }) => e.apiError);
    expect(err).toMatchObject({ code: 'conflict' });
    await s.close();
    fs.writeFileSync(path.join(s.dir, Files.lock), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), startedAt: 'then' }));
    const r = await reopen(s.dir);
    expect(JSON.parse(fs.readFileSync(path.join(s.dir, Files.lock), 'utf8')).pid).toBe(process.pid);
    await r.close();
    expect(fs.existsSync(path.join(s.dir, Files.lock))).toBe(false);
  });

  it('rejects unsafe names and bad values with clear errors', async () => {
    const s = await create();
    for (const name of ['../evil', '..', '.hidden', 'a/b', 'a\\b', '']) {
      await expect(s.references.add(name, 'x')).rejects.toMatchObject({ apiError: { code: 'bad_input', field: 'name' } });
    }
    await expect(s.writeJson('../../x', {})).rejects.toMatchObject({ apiError: { code: 'bad_input' } });
    await expect(s.snapshots.restore('../manifest')).rejects.toMatchObject({ apiError: { code: 'bad_input', field: 'id' } });
    await expect(s.acceptPassage({ id: 'x' } as never)).rejects.toMatchObject({ apiError: { code: 'bad_input' } });
    await expect(ProjectStore.create(s.dir, { title: 't', kind: 'story' })).rejects.toMatchObject({ apiError: { code: 'conflict' } });
    expect(fs.readdirSync(path.dirname(s.dir))).toEqual(['novel']);
  });

  it('names, lists, diffs (word-level) and restores snapshots', async () => {
    const s = await create();
    await s.savePlan(samplePlan());
    await s.acceptPassage(passage('a1', 'p1', 0, 'The sea was calm.'));
    await s.writeJson('run', { step: 1 });
    await s.writeJson('knowledge', { references: [] });
    const first = await s.snapshots.create('First draft');
    await s.updatePassage(passage('a1', 'p1', 0, 'The sea was wild.'));
    const second = await s.snapshots.create('Second draft');
    expect(s.snapshots.list().map((x) => x.name)).toEqual(['Second draft', 'First draft']);
    expect(first.words).toBe(4);
    const diff = await s.snapshots.diff(first.id, second.id);
    expect(diff.filter((d) => d.op !== 'equal')).toEqual([{ op: 'delete', text: 'calm' }, { op: 'insert', text: 'wild' }]);
    await s.writeJson('run', { step: 2 });
    await s.writeJson('ledger', { facts: ['later'] });
    await s.writeJson('knowledge', { references: ['kept'] });
    await s.snapshots.restore(first.id);
    expect(s.readJson('knowledge')).toEqual({ references: ['kept'] });
    expect(s.passages()[0]!.text).toBe('The sea was calm.');
    expect(s.readJson('run')).toEqual({ step: 1 });
    expect(s.readJson('ledger')).toBeNull();
    expect(s.snapshots.list()[0]!.name).toBe('Before restoring “First draft”');
    expect((await s.snapshots.diff(first.id, 'current')).every((d) => d.op === 'equal')).toBe(true);
    for (let i = 0; i < 12; i++) await s.snapshots.create(`Before Write ${i}`, { auto: true });
    const names = s.snapshots.list().map((x) => x.name);
    expect(names.filter((n) => n.startsWith('Before'))).toHaveLength(10);
    expect(names).toContain('First draft');
    expect(names).toContain('Second draft');
    await s.close();
    expect((await reopen(s.dir)).passages()[0]!.text).toBe('The sea was calm.');
  });
});
