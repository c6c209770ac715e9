import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { tinyModelDir } from '../engine/pipeline/testing.ts';
import { startWebServer, type WebServer } from './web-server.ts';

let server: WebServer;
let engine: Engine;
const post = (p: string, body: unknown, token = server.token) =>
  fetch(`${server.url}${p}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-oai-'));
  engine = new Engine({ host: 'web', home });
  server = await startWebServer({ engine, staticDir: home });
});
afterAll(async () => {
  await server.close();
  await engine.dispose();
});

describe('/v1 routes of the browser-mode server', () => {
  it('answers 503 until a model is loaded, then lists it and completes (non-streamed, n candidates, usage)', async () => {
    const none = await post('/v1/completions', { prompt: 'Once', max_tokens: 4 });
    expect(none.status).toBe(503);
    expect(((await none.json()) as { error: { message: string } }).error.message).toContain('No model is loaded');
    await engine.request('generator.load', { modelDir: await tinyModelDir() });
    const models = (await (await fetch(`${server.url}/v1/models`, { headers: { Authorization: `Bearer ${server.token}` } })).json()) as { data: Array<{ id: string; max_model_len: number }> };
    expect(models.data[0]!.max_model_len).toBe(256);
    const r = await post('/v1/completions', { prompt: 'Once upon a time', n: 2, max_tokens: 6, seed: 1, logprobs: 1 });
    expect(r.status).toBe(200);
    const j = (await r.json()) as { object: string; choices: Array<{ index: number; text: string; finish_reason: string; logprobs: { token_logprobs: number[] } }>; usage: { prompt_tokens: number; completion_tokens: number } };
    expect(j.object).toBe('text_completion');
    expect(j.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(j.usage.prompt_tokens).toBeGreaterThan(0);
    expect(j.usage.completion_tokens).toBe(j.choices.reduce((a, c) => a + c.logprobs.token_logprobs.length, 0));
  });

  it('refuses bad requests the OpenAI way, and requests without the token', async () => {
    const bad = await post('/v1/completions', '{not json');
    expect(bad.status).toBe(400);
    const missing = await post('/v1/completions', { max_tokens: 3 });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { param: string } }).error.param).toBe('prompt');
    const tooMany = await post('/v1/completions', { prompt: 'x', n: 99 });
    expect(tooMany.status).toBe(400);
    expect((await post('/v1/completions', { prompt: 'x' }, 'wrong')).status).toBe(401);
    expect((await fetch(`${server.url}/v1/completions`)).status).toBe(401);
  });
});
