import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from './engine.ts';

const engines: Engine[] = [];
function makeEngine(): Engine {
  const e = new Engine({ host: 'inprocess', home: fs.mkdtempSync(path.join(os.tmpdir(), 'lh-engine-')) });
  engines.push(e);
  return e;
}
afterEach(async () => {
  for (const e of engines.splice(0)) await e.dispose();
});

describe('engine', () => {
  it('answers health in-process', async () => {
    const e = makeEngine();
    const r = await e.call('system.health', {});
    expect(r).toMatchObject({ ok: true, result: { ok: true, host: 'inprocess' } });
  });

  it('returns errors as values for malformed requests and never throws', async () => {
    const e = makeEngine();
    for (const [name, args] of [
      [42, {}],
      ['generator.load', { modelDir: '' }],
      ['project.open', null],
      ['score.rerank', { query: 'q', passages: [] }],
    ] as const) {
      const r = await e.call(name, args);
      expect(r.ok).toBe(false);
    }
    const r = await e.call('score.rerank', { query: 'q', passages: [] });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'passages' } });
  });

  it('uses the data folder it is given', async () => {
    const e = makeEngine();
    const d = await e.request('system.doctor', {});
    expect(d.home).toBe(e.paths.home);
    expect(d.modelsDir.startsWith(e.paths.home)).toBe(true);
  });
});
