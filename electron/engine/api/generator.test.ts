import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../contract/contract.ts';
import { buildTestModel } from '../../../models/builder/build-test-model.ts';
import { Engine } from '../engine.ts';

let root: string;
let engine: Engine;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lh-genapi-'));
  await buildTestModel({ arch: 'llama', out: join(root, 'model') });
  engine = new Engine({ host: 'inprocess', home: join(root, 'home') });
});
afterAll(async () => {
  await engine.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('generator requests', () => {
  it('load → generate with streamed events → cancel → unload', async () => {
    const events: EngineEvent[] = [];
    const off = engine.onEvent((e) => events.push(e));
    expect(await engine.request('generator.status', {})).toEqual({ loaded: false });
    const unloaded = await engine.call('generator.generate', { requestId: 'r0', prompt: 'Hi' });
    expect(unloaded.ok ? null : unloaded.error.code).toBe('unavailable');

    const status = await engine.request('generator.load', { modelDir: join(root, 'model'), providers: ['cpu'] });
    expect(status).toMatchObject({ loaded: true, architecture: 'llama', provider: 'cpu', backend: 'onnx', contextLength: 256 });
    expect(events).toContainEqual({ type: 'generator.status', status });

    const result = await engine.request('generator.generate', { requestId: 'r1', prompt: 'Once upon a time', candidates: 2, options: { maxTokens: 12, seed: 5 } });
    expect(result.candidates).toHaveLength(2);
    for (let c = 0; c < 2; c++) {
      const streamed = events.filter((e): e is Extract<EngineEvent, { type: 'generation.tokens' }> => e.type === 'generation.tokens' && e.requestId === 'r1' && e.candidate === c);
      expect(streamed.map((e) => e.text).join('')).toBe(result.candidates[c]!.text);
    }
    expect(result.stats.generatedTokens).toBe(result.candidates[0]!.tokens + result.candidates[1]!.tokens);

    // Cancel from the first streamed piece: the run ends early with 'cancelled'.
    const stop = engine.onEvent((e) => {
      if (e.type === 'generation.tokens' && e.requestId === 'r2') void engine.request('generator.cancel', { requestId: 'r2' });
    });
    const cancelled = await engine.request('generator.generate', { requestId: 'r2', prompt: 'The', options: { maxTokens: 200, seed: 1, temperature: 0.7 } });
    stop();
    expect(cancelled.candidates[0]!.finishReason).toBe('cancelled');
    expect(cancelled.candidates[0]!.tokens).toBeLessThan(200);
    expect(await engine.request('generator.cancel', { requestId: 'nope' })).toEqual({ cancelled: false });

    const health = await engine.request('system.health', {});
    expect(health.generator.loaded).toBe(true);
    expect(await engine.request('generator.unload', {})).toEqual({ loaded: false });
    off();
  });

  it('a bad model folder is an error value and the engine keeps working', async () => {
    const bad = await engine.call('generator.load', { modelDir: join(root, 'nowhere') });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatchObject({ code: 'not_found', file: join(root, 'nowhere') });
    expect((await engine.call('generator.status', {})).ok).toBe(true);
  });
});
