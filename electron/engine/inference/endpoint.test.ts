import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../hosts/web-server.ts';
import { Engine } from '../engine.ts';
import { LonghandError } from '../errors.ts';
import { storyPlan, tinyModelDir } from '../pipeline/testing.ts';
import { EndpointGenerator } from './endpoint.ts';

const sampling = { maxTokens: 12, temperature: 0.8, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1, frequencyPenalty: 0, stop: [], seed: 5 };
let server: WebServer;
let engine: Engine;
const fakes: http.Server[] = [];

beforeAll(async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-endpoint-'));
  engine = new Engine({ host: 'web', home });
  await engine.request('generator.load', { modelDir: await tinyModelDir() });
  server = await startWebServer({ engine, staticDir: home });
});
afterAll(async () => {
  await server.close();
  await engine.dispose();
  for (const s of fakes) s.close();
});

/** A real HTTP server on 127.0.0.1 that answers every request with `handler`. */
async function fake(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  fakes.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1`;
}

async function errorOf(p: Promise<unknown>) {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(LonghandError);
  return (e as LonghandError).apiError;
}

describe('OpenAI-compatible endpoint backend, against the browser-mode server backed by the local ONNX model', () => {
  it('streams k candidates via n, equal to the local generator with the same seed', async () => {
    const g = await EndpointGenerator.connect({ url: `${server.url}/v1`, apiKey: server.token });
    expect(g.status()).toMatchObject({ backend: 'endpoint', loaded: true, contextLength: 256 });
    const streamed = ['', '', ''];
    const r = await g.generate({ prompt: 'Once upon a time', candidates: 3, sampling, onText: (i, t) => (streamed[i] += t) });
    const local = await engine.services.generator.require().generate({ prompt: 'Once upon a time', candidates: 3, sampling });
    expect(r.candidates.map((c) => c.text)).toEqual(local.candidates.map((c) => c.text));
    expect(streamed).toEqual(r.candidates.map((c) => c.text));
    r.candidates.forEach((c, i) => {
      expect(c.tokens).toBe(local.candidates[i]!.tokens);
      expect(c.meanLogprob).toBeCloseTo(local.candidates[i]!.meanLogprob, 5);
    });
  });

  it('still requires the token', async () => {
    expect(await errorOf(EndpointGenerator.connect({ url: `${server.url}/v1` }))).toMatchObject({ code: 'network', message: expect.stringContaining('401'), hint: expect.stringContaining('API key') });
  });

  it('writes a project through the endpoint; garbage and timeouts are clear errors and the project stays resumable', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lh-endpoint-proj-')), 'p');
    await engine.request('project.create', { dir, title: 't', kind: 'story', premise: 'p' });
    await engine.request('project.savePlan', { dir, plan: storyPlan() });
    const base = { candidates: 2, passagesPerPoint: 1, maxTokensPerPassage: 16, promptTokenBudget: 160, seed: 3 };

    const garbage = await fake((req, res) => {
      if (req.url?.endsWith('/models')) return void res.end(JSON.stringify({ data: [{ id: 'x' }] }));
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end('data: this is not json\n\n');
    });
    await engine.request('write.start', { dir, options: { ...base, endpoint: garbage } });
    expect(await errorOf(engine.services.pipeline.wait(dir))).toMatchObject({ code: 'network', message: expect.stringContaining('did not answer like an OpenAI completions server') });
    expect((await engine.request('project.open', { dir })).pipeline.step).toBe('error');

    const silent = await fake((req, res) => {
      if (req.url?.endsWith('/models')) return void res.end(JSON.stringify({ data: [{ id: 'x' }] }));
      // never answers
    });
    const slow = await EndpointGenerator.connect({ url: silent, idleTimeoutMs: 300 });
    expect(await errorOf(slow.generate({ prompt: 'x', candidates: 1, sampling }))).toMatchObject({ code: 'network', message: expect.stringContaining('did not answer within 0.3 s') });
    expect(await errorOf(EndpointGenerator.connect({ url: 'ftp://example' }))).toMatchObject({ code: 'bad_input', field: 'endpoint' });

    const endpoint = `http://:${server.token}@127.0.0.1:${server.port}/v1`;
    await engine.request('write.start', { dir, options: { ...base, endpoint } });
    expect(await engine.services.pipeline.wait(dir)).toMatchObject({ step: 'done', done: 3, total: 3 });
    const state = await engine.request('project.open', { dir });
    expect(state.passages).toHaveLength(3);
    expect(state.passages.every((p) => p.text.trim().length > 0)).toBe(true);
  });
});
