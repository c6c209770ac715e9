import fs from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SamplingOptions, type SamplingOptionsInput } from '../../contract/contract.ts';
import { buildTestModel } from '../../../models/builder/build-test-model.ts';
import { GraphBuilder } from '../../../models/builder/onnx.ts';
import { LonghandError } from '../errors.ts';
import { OnnxGenerator } from './generator.ts';
import { KvCache } from './kv-cache.ts';

let root: string;
const models: Record<string, OnnxGenerator> = {};
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lh-gen-'));
  for (const arch of ['llama', 'gpt2'] as const) {
    await buildTestModel({ arch, out: join(root, arch), seed: 7 });
    models[arch] = await OnnxGenerator.load(join(root, arch), { providers: ['cpu'] });
  }
});
afterAll(async () => {
  for (const m of Object.values(models)) await m.dispose();
  await rm(root, { recursive: true, force: true });
});

const opts = (o: SamplingOptionsInput) => SamplingOptions.parse(o);

async function apiError(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof LonghandError) return err.apiError;
    throw err;
  }
  throw new Error('expected a LonghandError');
}

for (const arch of ['llama', 'gpt2'] as const) {
  describe(`generator on the ${arch} test model`, () => {
    it('k candidates in one batch equal k single runs with the same per-row seeds', async () => {
      const g = models[arch]!;
      const promptIds = g.encodePrompt('The old lighthouse keeper climbed the stairs');
      const sampling = opts({ maxTokens: 24, temperature: 1.1, topP: 0.95, topK: 80, seed: 100 });
      const batched = await g.run({ promptIds, candidates: 4, sampling });
      const singles: Array<(typeof batched.rows)[number]> = [];
      for (let i = 0; i < 4; i++) singles.push((await g.run({ promptIds, candidates: 1, sampling: { ...sampling, seed: 100 + i } })).rows[0]!);
      expect(batched.rows.map((r) => r.tokenIds)).toEqual(singles.map((r) => r.tokenIds));
      for (let i = 0; i < 4; i++) {
        expect(batched.rows[i]!.logprobs.length).toBe(singles[i]!.logprobs.length);
        batched.rows[i]!.logprobs.forEach((lp, j) => expect(lp).toBeCloseTo(singles[i]!.logprobs[j]!, 4));
      }
      // Different seeds give different candidates (the rows are not copies of one another).
      expect(new Set(batched.rows.map((r) => r.tokenIds.join(','))).size).toBeGreaterThan(1);
    });

    it('streams exactly the final text, and greedy decoding is deterministic', async () => {
      const g = models[arch]!;
      const streamed: string[] = ['', ''];
      const r = await g.generate({ prompt: 'One day, she saw', candidates: 2, sampling: opts({ maxTokens: 16, temperature: 0 }), onText: (c, t) => (streamed[c] += t) });
      expect(r.candidates).toHaveLength(2);
      expect(r.candidates[0]!.text).toBe(r.candidates[1]!.text);
      expect(streamed).toEqual(r.candidates.map((c) => c.text));
      expect(r.candidates[0]!.tokens).toBe(16);
      expect(r.candidates[0]!.finishReason).toBe('length');
      expect(r.candidates[0]!.meanLogprob).toBeLessThanOrEqual(0);
      expect(r.stats.generatedTokens).toBe(32);
      expect(r.stats.provider).toBe('cpu');
    });

    it('stops at a stop string without streaming it', async () => {
      const g = models[arch]!;
      const sampling = { maxTokens: 40, temperature: 0.9, seed: 3 };
      const free = await g.generate({ prompt: 'He opened the door', candidates: 1, sampling: opts(sampling) });
      const text = free.candidates[0]!.text;
      const stop = text.slice(Math.floor(text.length / 2), Math.floor(text.length / 2) + 3);
      const cut = text.indexOf(stop);
      let streamed = '';
      const r = await g.generate({ prompt: 'He opened the door', candidates: 1, sampling: opts({ ...sampling, stop: [stop] }), onText: (_, t) => (streamed += t) });
      expect(r.candidates[0]!.finishReason).toBe('stop');
      expect(r.candidates[0]!.text).toBe(text.slice(0, cut));
      expect(streamed).toBe(text.slice(0, cut));
    });

    it('an AbortSignal stops generation within one step', async () => {
      const g = models[arch]!;
      const controller = new AbortController();
      let seen = 0;
      const run = await g.run({
        promptIds: g.encodePrompt('Once upon a time'),
        candidates: 2,
        sampling: opts({ maxTokens: 100, seed: 1 }),
        signal: controller.signal,
        onToken: (c) => {
          if (c === 0 && ++seen === 3) controller.abort();
        },
      });
      for (const row of run.rows) {
        expect(row.finishReason).toBe('cancelled');
        expect(row.tokenIds.length).toBe(3);
      }
      const already = await g.run({ promptIds: g.encodePrompt('Once'), candidates: 2, sampling: opts({ maxTokens: 5 }), signal: AbortSignal.abort() });
      expect(already.rows.map((r) => [r.finishReason, r.tokenIds.length])).toEqual([['cancelled', 0], ['cancelled', 0]]);
    });
  });
}

describe('dtype fp16 with external data', () => {
  it('loads onnx/model_fp16.onnx (+ .onnx_data), keeps a float16 KV cache, and matches the fp32 model', async () => {
    const dir = join(root, 'llama-fp16');
    await buildTestModel({ arch: 'llama', out: dir, seed: 7, dtype: 'fp16', externalData: true });
    expect(fs.existsSync(join(dir, 'onnx', 'model_fp16.onnx_data'))).toBe(true);
    const g = await OnnxGenerator.load(dir, { dtype: 'fp16', providers: ['cpu'] });
    try {
      expect(g.layout.kvType).toBe('float16');
      const ids = g.encodePrompt('In the morning the town woke');
      const half = await g.step([ids], KvCache.empty(g.layout, 1), 0);
      const full = await models.llama!.step([ids], KvCache.empty(models.llama!.layout, 1), 0);
      let maxDiff = 0;
      half.all.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - full.all[i]!))));
      expect(maxDiff).toBeLessThan(0.05);
      const sampling = opts({ maxTokens: 12, temperature: 1, seed: 9 });
      const batched = await g.run({ promptIds: ids, candidates: 2, sampling });
      const second = await g.run({ promptIds: ids, candidates: 1, sampling: { ...sampling, seed: 10 } });
      expect(batched.rows[1]!.tokenIds).toEqual(second.rows[0]!.tokenIds);
    } finally {
      await g.dispose();
    }
  });
});

describe('num_logits_to_keep', () => {
  it('is fed 1, so only the last position is computed, and generation is unchanged', async () => {
    const dir = join(root, 'llama-keep');
    await buildTestModel({ arch: 'llama', out: dir, seed: 7, logitsToKeep: true });
    const g = await OnnxGenerator.load(dir, { providers: ['cpu'] });
    try {
      const ids = g.encodePrompt('They walked for hours through the forest');
      expect((await g.step([ids], KvCache.empty(g.layout, 1), 0)).dims[1]).toBe(1);
      const sampling = opts({ maxTokens: 16, temperature: 0.9, seed: 21 });
      const a = await g.run({ promptIds: ids, candidates: 2, sampling });
      const b = await models.llama!.run({ promptIds: ids, candidates: 2, sampling });
      expect(a.rows.map((r) => r.tokenIds)).toEqual(b.rows.map((r) => r.tokenIds));
    } finally {
      await g.dispose();
    }
  });
});

describe('generator bad input', () => {
  async function copyModel(name: string): Promise<string> {
    const dir = join(root, name);
    await mkdir(join(dir, 'onnx'), { recursive: true });
    for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) await copyFile(join(root, 'llama', f), join(dir, f));
    return dir;
  }

  it('a folder without config.json names the file', async () => {
    const dir = await copyModel('no-config');
    await rm(join(dir, 'config.json'));
    const e = await apiError(OnnxGenerator.load(dir));
    expect(e.code).toBe('not_found');
    expect(e.file).toBe(join(dir, 'config.json'));
  });

  it('a truncated model.onnx names the file', async () => {
    const dir = await copyModel('truncated');
    await truncate(join(dir, 'onnx', 'model.onnx'), 50_000);
    const e = await apiError(OnnxGenerator.load(dir, { providers: ['cpu'] }));
    expect(e.code).toBe('bad_input');
    expect(e.file).toBe(join(dir, 'onnx', 'model.onnx'));
    expect(e.message).toMatch(/could not be loaded/);
  });

  it('a file that is not ONNX names the file', async () => {
    const dir = await copyModel('not-onnx');
    await writeFile(join(dir, 'onnx', 'model.onnx'), '<html>404 Not Found</html>');
    const e = await apiError(OnnxGenerator.load(dir, { providers: ['cpu'] }));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/is not an ONNX model/);
  });

  it('a model whose inputs are not the decoder layout says what is missing', async () => {
    const dir = await copyModel('wrong-layout');
    const g = new GraphBuilder();
    g.input('x', 'float32', [2]);
    g.node('Relu', ['x'], ['y']);
    g.output('y', 'float32', [2]);
    await writeFile(join(dir, 'onnx', 'model.onnx'), g.toModelBytes({ opset: 17 }).model);
    const e = await apiError(OnnxGenerator.load(dir, { providers: ['cpu'] }));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/missing input input_ids/);
    expect(e.message).toMatch(/unexpected input x/);
  });

  it('an unknown architecture names config.json and model_type', async () => {
    const dir = await copyModel('unknown-arch');
    const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...cfg, model_type: 'mamba' }));
    const e = await apiError(OnnxGenerator.load(dir));
    expect(e.code).toBe('bad_input');
    expect(e.message).toContain('"mamba"');
    expect(e.field).toBe('model_type');
  });

  it('a missing dtype file lists the dtypes present', async () => {
    const e = await apiError(OnnxGenerator.load(join(root, 'llama'), { dtype: 'q4' }));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain('onnx/model_q4.onnx');
    expect(e.hint).toContain('fp32');
  });

  it('a prompt longer than the context window names the limit, and the model still works after', async () => {
    const g = models.llama!;
    const long = 'the garden and the house '.repeat(200);
    const e = await apiError(g.generate({ prompt: long, candidates: 1, sampling: opts({ maxTokens: 4 }) }));
    expect(e.code).toBe('limit');
    expect(e.message).toContain(`context window is ${g.contextLength()} tokens`);
    const ok = await g.generate({ prompt: 'Hello', candidates: 1, sampling: opts({ maxTokens: 4, seed: 1 }) });
    expect(ok.candidates[0]!.tokens).toBeGreaterThan(0);
    expect(ok.candidates[0]!.tokens).toBeLessThanOrEqual(4);
  });
});

describe('tokenizers of the test models', () => {
  it('round-trip mixed text (ASCII, accents, CJK, emoji)', () => {
    const text = 'Plain ASCII, café crème, naïve Ångström — 東京の夜 and 한국어, emoji 😀👩‍🚀!';
    for (const g of Object.values(models)) {
      expect(g.tokenizer.decode(g.tokenizer.encode(text, false))).toBe(text);
      expect(g.countTokens(text)).toBeGreaterThan(10);
    }
  });
});
