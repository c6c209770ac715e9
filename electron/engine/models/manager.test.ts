import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestModel } from '../../../models/builder/build-test-model.ts';
import type { ApiError, EngineEvent } from '../../contract/contract.ts';
import { Engine } from '../engine.ts';
import { embeddedDir } from './builtin.ts';
import { resolveRoleModel } from './roles.ts';
import { startHubServer, type HubServer } from './testing/hub-server.ts';

let decoderDir: string;
let hub: HubServer;
let engine: Engine;
let home: string;
let events: EngineEvent[];

beforeAll(async () => {
  decoderDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lh-dec-')), 'tiny-llama');
  await buildTestModel({ arch: 'llama', out: decoderDir, size: 'tiny' });
  const files = fs
    .readdirSync(decoderDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const rel = path.relative(decoderDir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
      return { path: rel, data: fs.readFileSync(path.join(decoderDir, rel)) };
    });
  hub = await startHubServer({ 'test-org/tiny-llama': { revision: 'main', files: [...files, { path: 'onnx/model_q4.onnx', data: randomBytes(2_000_000) }] } });
});
afterAll(() => hub.close());

beforeEach(async () => {
  await engine?.dispose();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-mm-'));
  engine = new Engine({ host: 'inprocess', home });
  events = [];
  engine.onEvent((e) => events.push(e));
});

async function call(name: string, args: unknown): Promise<{ ok: true; result: any } | { ok: false; error: ApiError }> {
  return (await engine.call(name, args)) as { ok: true; result: any } | { ok: false; error: ApiError };
}
async function ok(name: string, args: unknown): Promise<any> {
  const r = await call(name, args);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.result;
}
async function err(name: string, args: unknown): Promise<ApiError> {
  const r = await call(name, args);
  if (r.ok) throw new Error(`${name} should have failed`);
  return r.error;
}

describe('catalog and hardware', () => {
  it('serves the shipped catalog and a hardware report that recommends entries that fit', async () => {
    const catalog = (await ok('models.catalog', {})) as Array<{ id: string; role: string }>;
    expect(new Set(catalog.map((e) => e.role))).toEqual(new Set(['generator', 'relevance', 'nli']));
    const hw = await ok('models.hardware', {});
    expect(hw.providers).toContain('cpu');
    expect(hw.ramGb).toBeGreaterThan(0);
    expect(hw.recommended.length).toBeGreaterThan(0);
    for (const id of hw.recommended) expect(catalog.some((e) => e.id === id)).toBe(true);
  });
});

describe('local import', () => {
  it('validates and registers a decoder folder without copying, and it can serve as generator', async () => {
    const m = await ok('models.import', { dir: decoderDir, role: 'generator' });
    expect(m).toMatchObject({ source: 'import', kind: 'decoder', linked: true, dir: decoderDir, role: 'generator' });
    expect(fs.existsSync(path.join(home, 'models', m.id))).toBe(false);
    await ok('models.use', { role: 'generator', id: m.id });
    expect(await resolveRoleModel(engine.paths, 'generator')).toBe(decoderDir);
    const list = await ok('models.list', {});
    expect(list.roles.generator).toBe(m.id);
    // Removing a linked import forgets it but leaves the person's folder alone, and clears the role.
    expect((await ok('models.remove', { id: m.id })).removed).toBe(true);
    expect(fs.existsSync(path.join(decoderDir, 'config.json'))).toBe(true);
    expect(await resolveRoleModel(engine.paths, 'generator')).toBeNull();
  });

  it('copies into the models folder when asked, atomically, with a manifest (symlinks resolved, as in an HF cache)', async () => {
    // A Hugging Face cache snapshot: a hidden parent, files as symlinks into a blobs folder.
    const snapshot = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lh-hfcache-')), '.cache', 'snapshot');
    fs.mkdirSync(path.join(snapshot, 'onnx'), { recursive: true });
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
      if (fs.existsSync(path.join(decoderDir, f))) fs.symlinkSync(path.join(decoderDir, f), path.join(snapshot, f));
    }
    const m = await ok('models.import', { dir: snapshot, role: 'generator', copy: true });
    expect(fs.lstatSync(path.join(m.dir, 'onnx', 'model.onnx')).isSymbolicLink()).toBe(false);
    expect(m.dir).toBe(path.join(home, 'models', m.id));
    expect(fs.existsSync(path.join(m.dir, 'longhand-model.json'))).toBe(true);
    expect(fs.readFileSync(path.join(m.dir, 'onnx', 'model.onnx')).equals(fs.readFileSync(path.join(decoderDir, 'onnx', 'model.onnx')))).toBe(true);
    expect(fs.existsSync(path.join(home, 'downloads', `import-${m.id}`))).toBe(false);
    await ok('models.remove', { id: m.id });
    expect(fs.existsSync(m.dir)).toBe(false);
  });

  it('refuses a folder without a tokenizer, without config, with a broken ONNX file, or of the wrong kind', async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-bad-'));
    fs.cpSync(decoderDir, bad, { recursive: true });
    fs.rmSync(path.join(bad, 'tokenizer.json'));
    const noTok = await err('models.import', { dir: bad, role: 'generator' });
    expect(noTok.code).toBe('bad_input');
    expect(noTok.message).toMatch(/no tokenizer/);

    fs.cpSync(path.join(decoderDir, 'tokenizer.json'), path.join(bad, 'tokenizer.json'));
    fs.writeFileSync(path.join(bad, 'config.json'), '{ not json');
    const badConfig = await err('models.import', { dir: bad, role: 'generator' });
    expect(badConfig).toMatchObject({ code: 'bad_input', file: path.join(bad, 'config.json') });

    fs.cpSync(path.join(decoderDir, 'config.json'), path.join(bad, 'config.json'));
    const onnx = path.join(bad, 'onnx', 'model.onnx');
    fs.writeFileSync(onnx, fs.readFileSync(onnx).subarray(0, 1000));
    const truncated = await err('models.import', { dir: bad, role: 'generator' });
    expect(truncated).toMatchObject({ code: 'bad_input', file: onnx });
    expect(truncated.message).toMatch(/onnxruntime cannot load/);

    const wrongRole = await err('models.import', { dir: decoderDir, role: 'relevance' });
    expect(wrongRole.message).toMatch(/text generator .* relevance role/);
    const missing = await err('models.import', { dir: path.join(bad, 'nope'), role: 'generator' });
    expect(missing.code).toBe('not_found');
    expect((await ok('models.list', {})).installed.filter((m: { source: string }) => m.source !== 'builtin')).toEqual([]);
  });

  it('falls back to the embedded relevance model, which is listed as built in and cannot be removed', async () => {
    const dir = embeddedDir();
    if (!dir) {
      console.log('skipped: models/embedded is not in this checkout');
      return;
    }
    expect(await resolveRoleModel(engine.paths, 'relevance')).toBe(dir);
    const list = await ok('models.list', {});
    expect(list.installed[0]).toMatchObject({ id: 'builtin-relevance', source: 'builtin', role: 'relevance' });
    expect((await err('models.remove', { id: 'builtin-relevance' })).code).toBe('bad_input');
    // The embedder cannot serve as NLI (no contradiction label).
    expect((await err('models.import', { dir, role: 'nli' })).message).toMatch(/nli role needs a sequence classifier/);
  });

  it('switches a loaded generator to the newly chosen model, and unloads it when its model is removed', async () => {
    const linked = await ok('models.import', { dir: decoderDir, role: 'generator' });
    const copied = await ok('models.import', { dir: decoderDir, role: 'generator', copy: true });
    await ok('models.use', { role: 'generator', id: linked.id });
    expect((await ok('generator.status', {})).loaded).toBe(false); // nothing loaded: choosing does not load
    await ok('generator.load', { modelDir: decoderDir });
    await ok('models.use', { role: 'generator', id: copied.id });
    const status = await ok('generator.status', {});
    expect(status).toMatchObject({ loaded: true, modelDir: copied.dir });
    await ok('models.remove', { id: copied.id });
    expect((await ok('generator.status', {})).loaded).toBe(false);
  });

  it('keeps a per-project role choice apart from the global one', async () => {
    const a = await ok('models.import', { dir: decoderDir, role: 'generator' });
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-proj-'));
    await ok('models.use', { role: 'generator', id: a.id, project });
    expect(await resolveRoleModel(engine.paths, 'generator', project)).toBe(decoderDir);
    expect(await resolveRoleModel(engine.paths, 'generator')).toBeNull();
    expect((await err('models.use', { role: 'generator', id: 'nope' })).code).toBe('not_found');
    // settings.json keeps keys that belong to other parts of the engine.
    const settings = JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'));
    settings.theme = 'dark';
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify(settings));
    await ok('models.use', { role: 'generator', id: a.id });
    expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8')).theme).toBe('dark');
  });
});

describe('pull through the engine', () => {
  it('pulls a repo, reports progress events, and the model serves as generator', async () => {
    const m = await ok('models.pull', { idOrRepo: 'test-org/tiny-llama', endpoint: hub.endpoint, dtype: 'fp32' });
    expect(m.id).toBe('test-org--tiny-llama-fp32');
    expect(fs.existsSync(path.join(m.dir, 'onnx', 'model_q4.onnx'))).toBe(false);
    const progress = events.filter((e) => e.type === 'download.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ state: 'installed' });
    await ok('models.use', { role: 'generator', id: m.id });
    expect(await resolveRoleModel(engine.paths, 'generator')).toBe(m.dir);
    // Pulling again is a no-op that returns the installed model.
    hub.requests.length = 0;
    expect((await ok('models.pull', { idOrRepo: 'test-org/tiny-llama', endpoint: hub.endpoint, dtype: 'fp32' })).dir).toBe(m.dir);
    expect(hub.requests.filter((r) => r.url.includes('/resolve/'))).toEqual([]);
  });

  it('models.cancel stops a pull in flight and leaves nothing behind', async () => {
    hub.fault('onnx/model_q4.onnx', { kind: 'slow', chunk: 32_768, everyMs: 20 });
    const pulling = call('models.pull', { idOrRepo: 'test-org/tiny-llama', endpoint: hub.endpoint, dtype: 'q4' });
    await new Promise<void>((resolve) => {
      const off = engine.onEvent((e) => {
        if (e.type === 'download.progress' && e.file === 'onnx/model_q4.onnx' && e.bytes > 0) {
          off();
          resolve();
        }
      });
    });
    expect((await ok('models.cancel', { idOrRepo: 'test-org/tiny-llama' })).cancelled).toBe(true);
    const r = await pulling;
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('cancelled');
    expect(fs.existsSync(path.join(home, 'models', 'test-org--tiny-llama-q4'))).toBe(false);
    expect(fs.existsSync(path.join(home, 'downloads', 'test-org--tiny-llama-q4'))).toBe(false);
    hub.clearFaults();
  });

  it('refuses to install a generator repo as a relevance model', async () => {
    const e = await err('models.pull', { idOrRepo: 'test-org/tiny-llama', endpoint: hub.endpoint, dtype: 'fp32', role: 'relevance' });
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/is a text generator \(LlamaForCausalLM\), not a relevance model/);
    expect(fs.existsSync(path.join(home, 'models'))).toBe(false);
    expect(fs.existsSync(path.join(home, 'downloads', 'test-org--tiny-llama-fp32'))).toBe(false);
  });

  it('models.cancel drops a partial download kept from an interrupted pull', async () => {
    const staging = path.join(home, 'downloads', 'test-org--tiny-llama-q4');
    fs.mkdirSync(path.join(staging, 'onnx'), { recursive: true });
    fs.writeFileSync(path.join(staging, 'onnx', 'model_q4.onnx.part'), 'x');
    expect((await ok('models.cancel', { idOrRepo: 'test-org--tiny-llama-q4' })).cancelled).toBe(true);
    expect(fs.existsSync(staging)).toBe(false);
    expect((await ok('models.cancel', { idOrRepo: 'test-org--tiny-llama-q4' })).cancelled).toBe(false);
  });

  it('validates request fields at the boundary', async () => {
    expect((await err('models.pull', { idOrRepo: '' })).code).toBe('invalid_request');
    expect((await err('models.pull', { idOrRepo: '../../x' })).message).toMatch(/not a Hugging Face repo id/);
    expect((await err('models.pull', { idOrRepo: 'a/b', endpoint: 'not a url' })).code).toBe('invalid_request');
    expect((await err('models.use', { role: 'writer', id: 'x' })).field).toBe('role');
  });
});
