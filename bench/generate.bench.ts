/**
 * `npm run bench:generate` — the local generator's speed (issue 3), written to bench/results/generate.json:
 *   - tokens/s for one sequence (greedy, fixed length);
 *   - wall time of k=4 candidates in one batch vs one sequence, and vs 4 sequential runs;
 *   - prefill once + cache repeated to k rows vs prefilling the prompt k times;
 *   - the same single-sequence generation through transformers.js (text-generation pipeline, same ONNX folder).
 * Models: Karpathy's stories260K converted with convert-llama2c (when ../shared/models/stories260k exists) and a
 * builder Llama of realistic small size (random weights; dim 512, 8 layers). CPU only; numbers vary with load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { SamplingOptions } from '../electron/contract/contract.ts';
import { OnnxGenerator } from '../electron/engine/inference/generator.ts';
import { KvCache } from '../electron/engine/inference/kv-cache.ts';
import { buildTestModel } from '../models/builder/build-test-model.ts';
import { convertLlama2c } from '../models/builder/llama2c.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const stories = path.resolve(repoRoot, '..', 'shared', 'models', 'stories260k');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-bench-gen-'));
const TOKENS = Number(process.env.BENCH_TOKENS ?? 128);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const PROMPT = 'Once upon a time, there was a little girl named Lily. She loved to play outside in the park.';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

type Peer = { run: () => Promise<string>; dispose: () => Promise<void> };

async function transformersJs(dir: string): Promise<Peer> {
  const { pipeline, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.dirname(dir) + path.sep;
  const generator = await pipeline('text-generation', path.basename(dir), { dtype: 'fp32', device: 'cpu' });
  return {
    run: async () => {
      const out = (await generator(PROMPT, { max_new_tokens: TOKENS, min_new_tokens: TOKENS, do_sample: false, return_full_text: false })) as Array<{ generated_text: string }>;
      return out[0]!.generated_text;
    },
    dispose: () => generator.dispose(),
  };
}

/**
 * The machine is shared, so load drifts: every measure is taken once per round, rounds interleave ours and the
 * peer, and the medians over rounds are reported.
 */
async function benchModel(dir: string) {
  const g = await OnnxGenerator.load(dir, { providers: ['cpu'] });
  const promptIds = g.encodePrompt(PROMPT);
  const greedy = SamplingOptions.parse({ maxTokens: TOKENS, temperature: 0 });
  const sampled = SamplingOptions.parse({ maxTokens: TOKENS, temperature: 0.8, topP: 0.95, seed: 1 });
  const longIds = g.encodePrompt(`${PROMPT} `.repeat(6)).slice(0, Math.min(400, g.contextLength() - TOKENS));
  let peer: Peer | null = null;
  let peerError: string | undefined;
  try {
    peer = await transformersJs(dir);
  } catch (err) {
    peerError = (err as Error).message.split('\n')[0]!;
  }
  const m: Record<string, number[]> = { one: [], peer: [], oneSampled: [], batched4: [], sequential4: [], prefillOnce: [], prefill4: [] };
  let oursText = '';
  let peerText = '';
  for (let round = 0; round <= REPEAT; round++) {
    const keep = round > 0; // round 0 warms up
    const add = (k: string, v: number) => keep && m[k]!.push(v);
    add('one', await seconds(async () => (oursText = (await g.run({ promptIds, candidates: 1, sampling: greedy, ignoreEos: true })).rows[0]!.text)));
    if (peer) add('peer', await seconds(async () => (peerText = await peer.run())));
    add('oneSampled', await seconds(() => g.run({ promptIds, candidates: 1, sampling: sampled, ignoreEos: true })));
    add('batched4', await seconds(() => g.run({ promptIds, candidates: 4, sampling: sampled, ignoreEos: true })));
    add('sequential4', await seconds(async () => {
      for (let i = 0; i < 4; i++) await g.run({ promptIds, candidates: 1, sampling: { ...sampled, seed: 1 + i }, ignoreEos: true });
    }));
    add('prefillOnce', await seconds(async () => {
      const { cache } = await g.step([longIds], KvCache.empty(g.layout, 1), 0);
      await cache.selectRows([0, 0, 0, 0]);
    }));
    add('prefill4', await seconds(() => g.step([longIds, longIds, longIds, longIds], KvCache.empty(g.layout, 4), 0)));
  }
  await peer?.dispose();
  await g.dispose();
  const t = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.length ? median(v) : NaN])) as Record<string, number>;
  const ours = {
    promptTokens: promptIds.length,
    singleGreedySeconds: t.one!,
    singleTokensPerSecond: TOKENS / t.one!,
    singleSampledSeconds: t.oneSampled!,
    batched4Seconds: t.batched4!,
    sequential4Seconds: t.sequential4!,
    batched4VsSingle: t.batched4! / t.oneSampled!,
    sequential4VsBatched4: t.sequential4! / t.batched4!,
    longPromptTokens: longIds.length,
    prefillOnceAndRepeatSeconds: t.prefillOnce!,
    prefill4TimesSeconds: t.prefill4!,
    prefill4TimesVsOnce: t.prefill4! / t.prefillOnce!,
    samples: m,
  };
  const transformersJsResult = peer
    ? { seconds: t.peer!, tokensPerSecond: TOKENS / t.peer!, sameGreedyText: peerText === oursText, samples: m.peer }
    : { error: peerError };
  return { ours, transformersJs: transformersJsResult, oursVsTransformersJs: peer ? t.peer! / t.one! : null };
}

const models: Array<{ name: string; dir: string; note: string }> = [];
if (fs.existsSync(path.join(stories, 'stories260K.bin'))) {
  const dir = path.join(work, 'stories260k');
  await convertLlama2c(path.join(stories, 'stories260K.bin'), path.join(stories, 'tok512.bin'), dir);
  models.push({ name: 'stories260K', dir, note: 'llama2.c stories260K converted (dim 64, 5 layers, vocab 512)' });
} else {
  console.log(`stories260K skipped: ${stories} is absent.`);
}
const mediumDir = path.join(work, 'builder-medium');
await buildTestModel({ arch: 'llama', out: mediumDir, size: 'medium', seed: 1 });
models.push({ name: 'builder-llama-medium', dir: mediumDir, note: 'builder Llama, random weights: dim 512, 8 layers, 8 heads / 4 kv, ffn 1376 (~35M params)' });

const results: Record<string, unknown> = {};
const rows: string[][] = [];
for (const m of models) {
  console.log(`benchmarking ${m.name}…`);
  const r = await benchModel(m.dir);
  const o = r.ours;
  const peer = r.transformersJs;
  const vsPeer = r.oursVsTransformersJs;
  results[m.name] = { note: m.note, ...r };
  const f = (x: number) => x.toFixed(2);
  rows.push(
    [m.name, 'tokens/s, 1 sequence (greedy)', f(o.singleTokensPerSecond), ''],
    [m.name, 'k=4 batched / 1 sequence (wall)', f(o.batched4VsSingle), 'target ≤ 2.00'],
    [m.name, '4 sequential / k=4 batched (wall)', f(o.sequential4VsBatched4), ''],
    [m.name, `prefill ${o.longPromptTokens} tok ×4 / once+repeat`, f(o.prefill4TimesVsOnce), ''],
    [m.name, 'transformers.js tokens/s (greedy)', peer.tokensPerSecond !== undefined ? f(peer.tokensPerSecond) : `error: ${peer.error}`, peer.sameGreedyText !== undefined ? `same text as ours: ${peer.sameGreedyText}` : ''],
    [m.name, 'ours / transformers.js tokens/s', vsPeer === null ? 'n/a' : f(vsPeer), 'target ≥ 1.20'],
  );
}

const out = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.versions.node, onnxruntime: ort.env.versions.node ?? null, platform: `${process.platform}-${process.arch}` },
  settings: { tokens: TOKENS, repeat: REPEAT, statistic: 'median', provider: 'cpu' },
  models: results,
};
fs.mkdirSync(path.join(repoRoot, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(repoRoot, 'bench', 'results', 'generate.json'), `${JSON.stringify(out, null, 2)}\n`);
fs.rmSync(work, { recursive: true, force: true });
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
console.log('wrote bench/results/generate.json');
