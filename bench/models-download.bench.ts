/**
 * `npm run bench:models` — the model downloader's measures (issue 8), written to bench/results/models-download.json:
 *   - throughput of a pull from a local hub server (302 to the "CDN", streamed sha256, write, verify, atomic install);
 *   - a connection cut at half the file: bytes fetched in total / file size (1.0 = nothing fetched twice);
 *   - peak RSS growth during the pull (the file is streamed, never held in memory).
 * Loopback only: this measures our overhead, not a network.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pullModel } from '../electron/engine/models/installer.ts';
import { Limiter } from '../electron/engine/models/limiter.ts';
import { sha256, startHubServer } from '../electron/engine/models/testing/hub-server.ts';
import { homePaths } from '../electron/engine/paths.ts';

const sizeMb = Number(process.env.BENCH_MODEL_MB ?? 256);
const onnx = randomBytes(sizeMb * 2 ** 20);
const files = [
  { path: 'config.json', data: Buffer.from('{"model_type":"llama"}') },
  { path: 'tokenizer.json', data: Buffer.from('{"model":{}}') },
  { path: 'onnx/model_q4.onnx', data: onnx },
];
const hub = await startHubServer({ 'bench/model': { revision: 'main', files } });

async function pull(label: string): Promise<{ seconds: number; peakRssGrowthMb: number }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `lh-bench-${label}-`));
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  await pullModel({ idOrRepo: 'bench/model', endpoint: hub.endpoint, dtype: 'q4' }, { paths: homePaths(home), emit: () => {}, limiter: new Limiter(3), env: {} });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  fs.rmSync(home, { recursive: true, force: true });
  return { seconds, peakRssGrowthMb: Math.round(((peak - rss0) / 2 ** 20) * 10) / 10 };
}

await pull('warmup');
const runs = [];
for (let i = 0; i < 3; i++) runs.push(await pull(`run${i}`));
const best = Math.min(...runs.map((r) => r.seconds));

hub.requests.length = 0;
hub.fault('onnx/model_q4.onnx', { kind: 'cut', afterBytes: Math.floor(onnx.length / 2) });
const resumed = await pull('resume');
const cdn = hub.requests.filter((r) => r.url.startsWith(`/cdn/${sha256(onnx)}`));
const fetched = cdn.reduce((s, r) => s + r.bytesSent, 0);
await hub.close();

const result = {
  benchmark: 'models-download',
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.versions.node, platform: `${process.platform}-${process.arch}`, loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10 },
  fileMb: sizeMb,
  pull: {
    runs: runs.map((r) => Math.round(r.seconds * 1000) / 1000),
    bestSeconds: Math.round(best * 1000) / 1000,
    mbPerSecond: Math.round((sizeMb / best) * 10) / 10,
    peakRssGrowthMb: Math.max(...runs.map((r) => r.peakRssGrowthMb)),
  },
  resumeAfterCutAtHalf: {
    requests: cdn.map((r) => ({ range: r.range ?? null, status: r.status, bytes: r.bytesSent })),
    bytesFetchedOverFileSize: Math.round((fetched / onnx.length) * 1000) / 1000,
    seconds: Math.round(resumed.seconds * 1000) / 1000,
  },
};
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'models-download.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
