import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogEntry, EngineEvent } from '../../contract/contract.ts';
import { LonghandError } from '../errors.ts';
import { homePaths, type HomePaths } from '../paths.ts';
import { pullModel, stagingDir, type PullDeps, type PullRequest } from './installer.ts';
import { Limiter } from './limiter.ts';
import { listInstalled } from './registry.ts';
import { sha256, startHubServer, type HubFile, type HubServer } from './testing/hub-server.ts';

const repo = 'test-org/tiny-chat';
const onnx = randomBytes(300_000);
const onnxData = randomBytes(900_000);
const files: HubFile[] = [
  { path: 'config.json', data: Buffer.from(JSON.stringify({ model_type: 'llama' })) },
  { path: 'generation_config.json', data: Buffer.from('{}') },
  { path: 'tokenizer.json', data: Buffer.from(JSON.stringify({ model: { vocab: {} }, pad: 'x'.repeat(2000) })) },
  { path: 'tokenizer_config.json', data: Buffer.from('{}') },
  { path: 'onnx/model_q4.onnx', data: onnx },
  { path: 'onnx/model_q4.onnx_data', data: onnxData },
  { path: 'onnx/model.onnx', data: randomBytes(5000) },
  { path: 'model.safetensors', data: randomBytes(4000) },
  { path: 'README.md', data: Buffer.from('# tiny') },
];
const total = files.filter((f) => !['onnx/model.onnx', 'model.safetensors', 'README.md'].includes(f.path)).reduce((s, f) => s + f.data.length, 0);

let hub: HubServer;
let paths: HomePaths;
let events: EngineEvent[];

const catalog: CatalogEntry[] = [
  {
    id: 'tiny-chat-q4',
    name: 'Tiny chat',
    role: 'generator',
    repo,
    revision: 'main',
    dtype: 'q4',
    files: [
      { path: 'config.json' },
      { path: 'tokenizer.json' },
      { path: 'onnx/model_q4.onnx', sha256: sha256(onnx) },
      { path: 'onnx/model_q4.onnx_data' },
    ],
    sizeBytes: 1_200_000,
    license: 'apache-2.0',
    minRamGb: 1,
  },
];

function deps(extra: Partial<PullDeps> = {}): PullDeps {
  return { paths, emit: (e) => events.push(e), limiter: new Limiter(2), catalog, env: {}, retries: 3, ...extra };
}
const req = (r: Partial<PullRequest> = {}): PullRequest => ({ idOrRepo: repo, endpoint: hub.endpoint, ...r });

async function error(p: Promise<unknown>): Promise<LonghandError['apiError']> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LonghandError) return err.apiError;
    throw err;
  }
  throw new Error('expected a failure');
}

/** The models folder holds only complete models: every subfolder has its manifest and every listed file. */
function assertModelsFolderClean(): void {
  if (!fs.existsSync(paths.models)) return;
  for (const name of fs.readdirSync(paths.models)) {
    const manifest = JSON.parse(fs.readFileSync(path.join(paths.models, name, 'longhand-model.json'), 'utf8')) as { files: Array<{ path: string; size: number }> };
    for (const f of manifest.files) expect(fs.statSync(path.join(paths.models, name, f.path)).size).toBe(f.size);
  }
}

beforeAll(async () => {
  hub = await startHubServer({ [repo]: { revision: 'abc123', files } });
});
afterAll(() => hub.close());
afterEach(() => assertModelsFolderClean());
beforeEach(() => {
  paths = homePaths(fs.mkdtempSync(path.join(os.tmpdir(), 'lh-pull-')));
  events = [];
  hub.requests.length = 0;
  hub.clearFaults();
});

/** The start offset of a `bytes=N-` Range header. */
function resumeOffset(range: string | undefined): number {
  const m = /^bytes=(\d+)-$/.exec(range ?? '');
  if (!m) throw new Error(`not a resume range: ${range}`);
  return Number(m[1]);
}

describe('pulling from a hub', () => {
  it('downloads only what the role needs, through the CDN redirect, verifies and installs atomically', async () => {
    const m = await pullModel(req({ dtype: 'q4' }), deps());
    expect(m.id).toBe('test-org--tiny-chat-q4');
    expect(m.source).toBe('hub');
    expect(fs.readFileSync(path.join(m.dir, 'onnx/model_q4.onnx_data')).equals(onnxData)).toBe(true);
    expect(fs.existsSync(path.join(m.dir, 'model.safetensors'))).toBe(false);
    expect(fs.existsSync(path.join(m.dir, 'onnx/model.onnx'))).toBe(false);
    expect(hub.requests.some((r) => r.url.startsWith('/cdn/') && r.status === 200)).toBe(true);
    expect(hub.requests.filter((r) => r.url.includes('/resolve/') && r.url.endsWith('.onnx_data'))[0]?.status).toBe(302);
    const last = events.filter((e) => e.type === 'download.progress').at(-1);
    expect(last).toMatchObject({ state: 'installed', bytes: total, total });
    expect(fs.existsSync(stagingDir(paths, m.id))).toBe(false);
    expect((await listInstalled(paths)).map((x) => x.id)).toContain(m.id);
    assertModelsFolderClean();
  });

  it('pulls a catalog entry by id and verifies its sha256', async () => {
    const m = await pullModel(req({ idOrRepo: 'tiny-chat-q4' }), deps());
    expect(m.id).toBe('tiny-chat-q4');
    expect(fs.readdirSync(path.join(m.dir, 'onnx')).sort()).toEqual(['model_q4.onnx', 'model_q4.onnx_data']);
    // Installed: pulling it again needs no network (an unreachable endpoint is never contacted).
    expect((await pullModel(req({ idOrRepo: 'tiny-chat-q4', endpoint: 'http://127.0.0.1:9' }), deps())).dir).toBe(m.dir);
  });

  it('resumes a cut connection from where it stopped (Range + If-Range), re-downloading only the rest', async () => {
    hub.fault('onnx/model_q4.onnx_data', { kind: 'cut', afterBytes: 400_000 });
    const m = await pullModel(req({ dtype: 'q4' }), deps());
    expect(fs.readFileSync(path.join(m.dir, 'onnx/model_q4.onnx_data')).equals(onnxData)).toBe(true);
    const cdn = hub.requests.filter((r) => r.url.startsWith(`/cdn/${sha256(onnxData)}`));
    expect(cdn).toHaveLength(2);
    expect(cdn[0]!.bytesSent).toBe(400_000);
    // The client resumes from what it had written when the cut reached it: all 400 000 bytes, or a little less when
    // the HTTP stack dropped chunks still queued as the connection closed (it errors the stream). Never more, never 0.
    const resumedAt = resumeOffset(cdn[1]!.range);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(400_000);
    expect(cdn[1]!.ifRange).toBe(`"${sha256(onnxData)}"`);
    expect(cdn[1]!.status).toBe(206);
    expect(cdn[1]!.bytesSent).toBe(onnxData.length - resumedAt);
  });

  it('keeps a cut download across pulls and resumes it in the next one', async () => {
    hub.fault('onnx/model_q4.onnx_data', { kind: 'cut', afterBytes: 250_000 });
    const e = await error(pullModel(req({ dtype: 'q4' }), deps({ retries: 0 })));
    expect(e.code).toBe('network');
    expect(e.message).toContain('model_q4.onnx_data');
    expect(fs.existsSync(path.join(paths.models, 'test-org--tiny-chat-q4'))).toBe(false);
    const kept = fs.statSync(path.join(stagingDir(paths, 'test-org--tiny-chat-q4'), 'onnx/model_q4.onnx_data.part')).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(250_000);
    hub.requests.length = 0;
    const m = await pullModel(req({ dtype: 'q4' }), deps());
    const cdn = hub.requests.filter((r) => r.url.startsWith(`/cdn/${sha256(onnxData)}`));
    expect(cdn.map((r) => r.range)).toEqual([`bytes=${kept}-`]);
    expect(cdn[0]!.bytesSent).toBe(onnxData.length - kept);
    expect(fs.readFileSync(path.join(m.dir, 'onnx/model_q4.onnx_data')).equals(onnxData)).toBe(true);
  });

  it('treats a stalled connection as cut and resumes it', async () => {
    hub.fault('onnx/model_q4.onnx_data', { kind: 'stall', afterBytes: 500_000 });
    const m = await pullModel(req({ dtype: 'q4' }), deps({ idleTimeoutMs: 300 }));
    const cdn = hub.requests.filter((r) => r.url.startsWith(`/cdn/${sha256(onnxData)}`));
    expect(cdn.map((r) => r.range)).toEqual([undefined, 'bytes=500000-']);
    expect(fs.readFileSync(path.join(m.dir, 'onnx/model_q4.onnx_data')).equals(onnxData)).toBe(true);
  });

  it('starts a file over when the server ignores the resume range', async () => {
    hub.fault('onnx/model_q4.onnx_data', { kind: 'cut', afterBytes: 300_000 });
    hub.fault('onnx/model_q4.onnx_data', { kind: 'no-range' });
    const m = await pullModel(req({ dtype: 'q4' }), deps());
    const cdn = hub.requests.filter((r) => r.url.startsWith(`/cdn/${sha256(onnxData)}`));
    expect(cdn.map((r) => r.status)).toEqual([200, 200]);
    expect(cdn[0]!.range).toBeUndefined();
    // Resumed from what had been written at the cut (≤ 300 000 bytes; see the resume test), then started over.
    expect(resumeOffset(cdn[1]!.range)).toBeGreaterThan(0);
    expect(resumeOffset(cdn[1]!.range)).toBeLessThanOrEqual(300_000);
    expect(fs.readFileSync(path.join(m.dir, 'onnx/model_q4.onnx_data')).equals(onnxData)).toBe(true);
  });

  it('rejects a checksum mismatch and installs nothing', async () => {
    hub.fault('onnx/model_q4.onnx', { kind: 'corrupt' }, 10);
    const e = await error(pullModel(req({ dtype: 'q4' }), deps()));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/Checksum mismatch for "onnx\/model_q4.onnx"/);
    expect(fs.existsSync(path.join(paths.models, 'test-org--tiny-chat-q4'))).toBe(false);
    expect(fs.existsSync(stagingDir(paths, 'test-org--tiny-chat-q4'))).toBe(false);
  });

  it('names the missing file on a 404', async () => {
    hub.fault('tokenizer.json', { kind: 'status', status: 404 });
    const e = await error(pullModel(req({ dtype: 'q4' }), deps()));
    expect(e.code).toBe('not_found');
    expect(e.file).toBe('tokenizer.json');
    expect(e.message).toContain('tokenizer.json');
    expect(fs.existsSync(path.join(paths.models, 'test-org--tiny-chat-q4'))).toBe(false);
  });

  it('cancel leaves no partial model and no staging folder', async () => {
    hub.fault('onnx/model_q4.onnx_data', { kind: 'slow', chunk: 16_384, everyMs: 20 });
    const ac = new AbortController();
    const p = pullModel(req({ dtype: 'q4' }), deps({ signal: ac.signal }));
    // Cancel once bytes of the slow file have arrived (an event, not a timer).
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (hub.requests.some((r) => r.url.startsWith(`/cdn/${sha256(onnxData)}`) && r.bytesSent > 0)) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    ac.abort();
    const e = await error(p);
    expect(e.code).toBe('cancelled');
    expect(fs.existsSync(path.join(paths.models, 'test-org--tiny-chat-q4'))).toBe(false);
    expect(fs.existsSync(stagingDir(paths, 'test-org--tiny-chat-q4'))).toBe(false);
    expect(events.filter((x) => x.type === 'download.progress').at(-1)).toMatchObject({ state: 'cancelled' });
  });

  it('fails cleanly before downloading when the disk is full', async () => {
    const e = await error(pullModel(req({ dtype: 'q4' }), deps({ freeBytes: async () => 10_000 })));
    expect(e.code).toBe('limit');
    expect(e.message).toMatch(/Not enough disk space/);
    expect(hub.requests.some((r) => r.url.startsWith('/cdn/'))).toBe(false);
    expect(fs.existsSync(paths.models)).toBe(false);
    expect(fs.existsSync(stagingDir(paths, 'test-org--tiny-chat-q4'))).toBe(false);
  });

  it('refuses a server that sends more bytes than announced', async () => {
    hub.fault('onnx/model_q4.onnx_data', { kind: 'overflow', extra: 5000 });
    const e = await error(pullModel(req({ dtype: 'q4' }), deps()));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/more bytes .* than the 900000 it announced/);
    expect(fs.existsSync(path.join(paths.models, 'test-org--tiny-chat-q4'))).toBe(false);
  });

  it('limits concurrent downloads', async () => {
    hub.fault('onnx/model_q4.onnx_data', { kind: 'slow', chunk: 200_000, everyMs: 5 });
    hub.fault('onnx/model_q4.onnx', { kind: 'slow', chunk: 100_000, everyMs: 5 });
    hub.fault('tokenizer.json', { kind: 'slow', chunk: 500, everyMs: 5 });
    await pullModel(req({ dtype: 'q4' }), deps({ limiter: new Limiter(1) }));
    expect(hub.maxInFlight()).toBeLessThanOrEqual(2);
  });

  it('refuses to pull a model another live process is pulling, and takes over a stale lock', async () => {
    const lock = `${stagingDir(paths, 'test-org--tiny-chat-q4')}.lock`;
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    const lockOf = (pid: number) => JSON.stringify({ pid, host: os.hostname(), startedAt: new Date().toISOString() });
    fs.writeFileSync(lock, lockOf(process.ppid));
    const e = await error(pullModel(req({ dtype: 'q4' }), deps()));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('another Longhand process');
    fs.writeFileSync(lock, lockOf(2147483646));
    const m = await pullModel(req({ dtype: 'q4' }), deps());
    expect(fs.existsSync(m.dir)).toBe(true);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('sends HF_TOKEN to the hub as a bearer token', async () => {
    await pullModel(req({ dtype: 'q4' }), deps({ env: { HF_TOKEN: 'hf_secret' } }));
    expect(hub.requests.filter((r) => r.url.includes('/resolve/')).every((r) => r.authorization === 'Bearer hf_secret')).toBe(true);
  });

  it('honours HF_ENDPOINT when no endpoint is given', async () => {
    const m = await pullModel({ idOrRepo: repo, dtype: 'q4' }, deps({ env: { HF_ENDPOINT: hub.endpoint } }));
    expect(fs.existsSync(m.dir)).toBe(true);
  });

  it('rejects malformed repo ids and unknown variants with clear errors', async () => {
    for (const bad of ['../etc/passwd', 'no-slash', 'a/b/c', 'owner/..', 'owner/na--me', 'https://huggingface.co/x/y']) {
      const e = await error(pullModel(req({ idOrRepo: bad }), deps()));
      expect(e.code, bad).toBe('bad_input');
      expect(e.message).toContain('is not a Hugging Face repo id');
    }
    const v = await error(pullModel(req({ dtype: 'fp16' }), deps()));
    expect(v.code).toBe('not_found');
    expect(v.hint).toContain('q4');
    const r = await error(pullModel(req({ idOrRepo: 'test-org/missing' }), deps()));
    expect(r.code).toBe('not_found');
  });
});

describe('hub listing', () => {
  it('follows the tree API pagination', async () => {
    const paged = await startHubServer({ [repo]: { revision: 'main', files } }, { treePageSize: 2 });
    try {
      const m = await pullModel({ idOrRepo: repo, endpoint: paged.endpoint, dtype: 'q4' }, deps());
      expect(paged.requests.filter((r) => r.url.includes('/tree/')).length).toBe(Math.ceil(files.length / 2));
      expect(fs.existsSync(path.join(m.dir, 'onnx/model_q4.onnx_data'))).toBe(true);
    } finally {
      await paged.close();
    }
  });
});

describe('path traversal', () => {
  it('refuses a hub listing that names a path outside the model folder', async () => {
    const evil = await startHubServer({ 'evil/repo': { revision: 'main', files: [...files, { path: '../../escape.onnx', data: Buffer.from('x') }] } });
    try {
      const e = await error(pullModel({ idOrRepo: 'evil/repo', endpoint: evil.endpoint }, deps()));
      expect(e.code).toBe('bad_input');
      expect(e.message).toContain('../../escape.onnx');
      expect(fs.existsSync(path.join(paths.home, 'escape.onnx'))).toBe(false);
    } finally {
      await evil.close();
    }
  });
});
