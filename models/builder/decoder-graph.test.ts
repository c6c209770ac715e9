import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel } from './build-test-model.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lh-decoder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Cfg { num_hidden_layers?: number; n_layer?: number; num_key_value_heads?: number; n_head?: number; hidden_size?: number; n_embd?: number; num_attention_heads?: number; vocab_size: number }

function emptyPast(cfg: Cfg, batch: number): Record<string, ort.Tensor> {
  const layers = cfg.num_hidden_layers ?? cfg.n_layer!;
  const kv = cfg.num_key_value_heads ?? cfg.n_head!;
  const hd = (cfg.hidden_size ?? cfg.n_embd!) / (cfg.num_attention_heads ?? cfg.n_head!);
  const feeds: Record<string, ort.Tensor> = {};
  for (let l = 0; l < layers; l++) for (const k of ['key', 'value']) feeds[`past_key_values.${l}.${k}`] = new ort.Tensor('float32', new Float32Array(0), [batch, kv, 0, hd]);
  return feeds;
}

function feeds(ids: number[], past: number, withPositions: boolean): Record<string, ort.Tensor> {
  const f: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(past + ids.length).fill(1n), [1, past + ids.length]),
  };
  if (withPositions) f.position_ids = new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(past + i)), [1, ids.length]);
  return f;
}

for (const arch of ['llama', 'gpt2'] as const) {
  describe(`${arch} test model`, () => {
    it('has the Optimum input/output layout', async () => {
      const dir = join(root, arch);
      await buildTestModel({ arch, out: dir });
      const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Cfg;
      const s = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
      const layers = cfg.num_hidden_layers ?? cfg.n_layer!;
      const kvIn = Array.from({ length: layers }, (_, l) => [`past_key_values.${l}.key`, `past_key_values.${l}.value`]).flat();
      const kvOut = Array.from({ length: layers }, (_, l) => [`present.${l}.key`, `present.${l}.value`]).flat();
      expect(s.inputNames).toEqual(['input_ids', 'attention_mask', ...(arch === 'llama' ? ['position_ids'] : []), ...kvIn]);
      expect(s.outputNames).toEqual(['logits', ...kvOut]);
      await s.release();
    });

    it('KV-cached decoding gives the logits of full recomputation (within 1e-4)', async () => {
      const dir = join(root, arch);
      const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Cfg;
      const s = await ort.InferenceSession.create(join(dir, 'onnx', 'model.onnx'));
      const ids = [5, 17, 42, 99, 7, 250, 3, 64, 120, 11];
      const pos = arch === 'llama';
      const full = await s.run({ ...feeds(ids, 0, pos), ...emptyPast(cfg, 1) });
      const V = cfg.vocab_size;
      const fullLogits = full.logits!.data as Float32Array;
      // Prefill 6 tokens, then one token at a time through the cache.
      let out = await s.run({ ...feeds(ids.slice(0, 6), 0, pos), ...emptyPast(cfg, 1) });
      let maxDiff = 0;
      const compare = (got: Float32Array, position: number, row: number) => {
        for (let v = 0; v < V; v++) maxDiff = Math.max(maxDiff, Math.abs(got[row * V + v]! - fullLogits[position * V + v]!));
      };
      for (let p = 0; p < 6; p++) compare(out.logits!.data as Float32Array, p, p);
      for (let p = 6; p < ids.length; p++) {
        const past: Record<string, ort.Tensor> = {};
        for (const [name, t] of Object.entries(out)) if (name.startsWith('present.')) past[name.replace('present.', 'past_key_values.')] = t;
        out = await s.run({ ...feeds([ids[p]!], p, pos), ...past });
        compare(out.logits!.data as Float32Array, p, 0);
      }
      expect(maxDiff).toBeLessThan(1e-4);
      // The logits are not degenerate (a broken mask or cache would still "agree" on constants).
      const row = Array.from(fullLogits.slice(0, V));
      expect(Math.max(...row) - Math.min(...row)).toBeGreaterThan(1);
      await s.release();
    });
  });
}
