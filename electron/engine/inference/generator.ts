/**
 * The local ONNX text generator: one session per loaded model, KV-cached decoding, and k candidates of one prompt
 * decoded as one batch (the prompt is prefilled once and its cache repeated k times; finished rows leave the batch).
 */
import * as ort from 'onnxruntime-node';
import type { Candidate, Dtype, ExecutionProvider, GeneratorStatus, SamplingOptions } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { GenerateRequest, GenerateResult, TextGenerator } from '../services/types.ts';
import { KvCache } from './kv-cache.ts';
import { assertLooksLikeOnnx, type ModelConfig, type ModelLayout, readLayout, readModelConfig } from './model-folder.ts';
import { Sampler, StopMatcher } from './sampler.ts';
import { createSession } from './session.ts';
import { IncrementalDecoder, ModelTokenizer } from './tokenizer.ts';

export interface LoadOptions {
  dtype?: Dtype;
  providers?: ExecutionProvider[];
  intraOpNumThreads?: number;
}

export interface RowResult {
  tokenIds: number[];
  logprobs: number[];
  text: string;
  finishReason: Candidate['finishReason'];
}

export interface RunResult {
  rows: RowResult[];
  promptTokens: number;
  seconds: number;
  timeToFirstTokenMs: number;
}

export interface RunRequest {
  promptIds: number[];
  candidates: number;
  sampling: SamplingOptions;
  signal?: AbortSignal;
  onText?: (candidate: number, text: string) => void;
  /** Per candidate: called with each sampled token id (tests, token streaming). */
  onToken?: (candidate: number, token: number) => void;
  /** Benchmarks: keep going past end-of-sequence tokens so every run has the same length. */
  ignoreEos?: boolean;
}

/** Prompt tokens per prefill step (bounds how long one step holds the thread). */
const PREFILL_CHUNK = 256;

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * Math.pow(2, -14) * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * Math.pow(2, e - 15) * (1 + f / 1024);
}

interface Row {
  index: number;
  sampler: Sampler;
  decoder: IncrementalDecoder;
  stops: StopMatcher;
  tokenIds: number[];
  logprobs: number[];
  finish?: Candidate['finishReason'];
}

export class OnnxGenerator implements TextGenerator {
  readonly tokenizer: ModelTokenizer;
  readonly config: ModelConfig;
  readonly layout: ModelLayout;
  readonly provider: ExecutionProvider;
  readonly fallbackReason: string | undefined;
  private session: ort.InferenceSession | null;
  private readonly eosIds: Set<number>;
  private readonly hasLogitsToKeep: string | undefined;
  private readonly hasUseCacheBranch: boolean;
  private queue: Promise<unknown> = Promise.resolve();
  private ones = new BigInt64Array(0);

  private constructor(args: {
    session: ort.InferenceSession;
    tokenizer: ModelTokenizer;
    config: ModelConfig;
    layout: ModelLayout;
    provider: ExecutionProvider;
    fallbackReason?: string;
  }) {
    this.session = args.session;
    this.tokenizer = args.tokenizer;
    this.config = args.config;
    this.layout = args.layout;
    this.provider = args.provider;
    this.fallbackReason = args.fallbackReason;
    this.eosIds = new Set([...args.config.eosIds, ...args.tokenizer.eosIds]);
    this.hasLogitsToKeep = args.session.inputNames.find((n) => n === 'num_logits_to_keep' || n === 'logits_to_keep');
    this.hasUseCacheBranch = args.session.inputNames.includes('use_cache_branch');
  }

  static async load(dir: string, options: LoadOptions = {}): Promise<OnnxGenerator> {
    const config = await readModelConfig(dir, options.dtype ?? 'fp32');
    const tokenizer = await ModelTokenizer.load(dir, config.eosIds);
    await assertLooksLikeOnnx(config.onnxPath);
    // Keep the KV cache on the GPU between steps (cuda/webgpu); the CPU provider ignores this.
    const deviceOutputs = Array.from({ length: config.layers ?? 0 }, (_, l) => [`present.${l}.key`, `present.${l}.value`]).flat();
    let created;
    try {
      created = await createSession(config.onnxPath, { providers: options.providers, intraOpNumThreads: options.intraOpNumThreads, deviceOutputs });
    } catch (err) {
      fail('bad_input', `${config.onnxPath} could not be loaded by onnxruntime: ${(err as Error).message.split('\n')[0]}`, {
        file: config.onnxPath,
        hint: 'The file may be truncated or not an ONNX model (or its external data file is missing); download or convert the model again.',
      });
    }
    try {
      const layout = readLayout(created.session, config.onnxPath, config);
      return new OnnxGenerator({ session: created.session, tokenizer, config, layout, provider: created.provider, fallbackReason: created.fallbackReason });
    } catch (err) {
      await created.session.release();
      throw err;
    }
  }

  status(): GeneratorStatus {
    const s: GeneratorStatus = {
      loaded: this.session !== null,
      modelDir: this.config.dir,
      modelName: this.config.name,
      architecture: this.config.modelType,
      provider: this.provider,
      contextLength: this.config.contextLength,
      backend: 'onnx',
    };
    if (this.fallbackReason) s.fallbackReason = this.fallbackReason;
    return s;
  }

  countTokens(text: string): number {
    return this.tokenizer.encode(text, false).length;
  }

  contextLength(): number {
    return this.config.contextLength;
  }

  /** The prompt's token ids as the model sees them (BOS where the tokenizer adds one; an empty prompt is BOS alone). */
  encodePrompt(prompt: string): number[] {
    if (prompt === '') {
      const start = this.tokenizer.bosId ?? [...this.eosIds][0];
      return start === undefined ? [] : [start];
    }
    return this.tokenizer.encode(prompt, true);
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const promptIds = this.encodePrompt(request.prompt);
    const run = await this.run({ promptIds, candidates: request.candidates, sampling: request.sampling, signal: request.signal, onText: request.onText });
    const generated = run.rows.reduce((n, r) => n + r.tokenIds.length, 0);
    return {
      candidates: run.rows.map((r) => ({
        text: r.text,
        tokens: r.tokenIds.length,
        finishReason: r.finishReason,
        meanLogprob: r.logprobs.length ? r.logprobs.reduce((a, b) => a + b, 0) / r.logprobs.length : 0,
      })),
      stats: {
        promptTokens: run.promptTokens,
        generatedTokens: generated,
        seconds: run.seconds,
        tokensPerSecond: run.seconds > 0 ? generated / run.seconds : 0,
        timeToFirstTokenMs: run.timeToFirstTokenMs,
        provider: this.provider,
      },
    };
  }

  /** Generation from token ids; requests on one model run one at a time. */
  run(request: RunRequest): Promise<RunResult> {
    const next = this.queue.then(() => this.runNow(request));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(req: RunRequest): Promise<RunResult> {
    if (!this.session) fail('unavailable', 'The model was unloaded.', { hint: 'Load a model first.' });
    const t0 = performance.now();
    const ctx = this.config.contextLength;
    const promptIds = req.promptIds;
    if (promptIds.length === 0) fail('bad_input', 'The prompt is empty and the model has no BOS token to start from.', { field: 'prompt' });
    if (promptIds.length >= ctx) {
      fail('limit', `The prompt is ${promptIds.length} tokens; the model's context window is ${ctx} tokens.`, {
        field: 'prompt',
        hint: `Shorten the prompt to under ${ctx} tokens (leave room for the continuation).`,
      });
    }
    const maxTokens = Math.min(req.sampling.maxTokens, ctx - promptIds.length);
    // Prefill once (batch 1), then repeat the cache for the k rows. onnxruntime-node runs a step synchronously on
    // this thread, so a long prompt is prefilled in chunks: the engine answers other requests between chunks.
    let cache = KvCache.empty(this.layout, 1);
    let logits: Float32Array[] = [];
    for (let start = 0; start < promptIds.length; start += PREFILL_CHUNK) {
      if (req.signal?.aborted) {
        cache.dispose();
        const cancelled: RowResult = { tokenIds: [], logprobs: [], text: '', finishReason: 'cancelled' };
        return { rows: Array.from({ length: req.candidates }, () => ({ ...cancelled })), promptTokens: promptIds.length, seconds: (performance.now() - t0) / 1000, timeToFirstTokenMs: 0 };
      }
      const out = await this.step([promptIds.slice(start, start + PREFILL_CHUNK)], cache, start);
      cache.dispose();
      cache = out.cache;
      logits = out.logits;
    }
    const vocab = logits[0]!.length;
    const baseSeed = req.sampling.seed ?? Math.floor(Math.random() * 2 ** 31);
    const rows: Row[] = Array.from({ length: req.candidates }, (_, index) => ({
      index,
      sampler: new Sampler(req.sampling, baseSeed + index, vocab, promptIds),
      decoder: new IncrementalDecoder(this.tokenizer, promptIds),
      stops: new StopMatcher(req.sampling.stop),
      tokenIds: [],
      logprobs: [],
    }));

    let ttft = 0;
    let active = rows;
    let rowLogits: Float32Array[] = rows.map(() => logits[0]!);
    if (rows.length > 1) {
      const repeated = await cache.selectRows(rows.map(() => 0));
      cache.dispose();
      cache = repeated;
    }
    for (;;) {
      const cancelled = req.signal?.aborted === true;
      for (let i = 0; i < active.length; i++) {
        const row = active[i]!;
        if (cancelled) {
          row.finish = 'cancelled';
          continue;
        }
        const { token, logprob } = row.sampler.sample(rowLogits[i]!);
        if (!ttft) ttft = performance.now() - t0;
        if (this.eosIds.has(token) && !req.ignoreEos) {
          row.finish = 'eos';
          continue;
        }
        row.sampler.accept(token);
        row.tokenIds.push(token);
        row.logprobs.push(logprob);
        req.onToken?.(row.index, token);
        const piece = row.decoder.push(token);
        if (piece) {
          const { emit, stopped } = row.stops.push(piece);
          if (emit) req.onText?.(row.index, emit);
          if (stopped) row.finish = 'stop';
        }
        if (!row.finish && row.tokenIds.length >= maxTokens) row.finish = 'length';
      }
      const stillActive = active.filter((r) => !r.finish);
      if (stillActive.length === 0) break;
      if (stillActive.length < active.length) {
        const keep = active.flatMap((r, i) => (r.finish ? [] : [i]));
        const smaller = await cache.selectRows(keep);
        cache.dispose();
        cache = smaller;
      }
      active = stillActive;
      const out = await this.step(active.map((r) => [r.tokenIds[r.tokenIds.length - 1]!]), cache, cache.length);
      cache.dispose();
      cache = out.cache;
      rowLogits = out.logits;
    }
    cache.dispose();
    const results: RowResult[] = rows.map((row) => {
      if (row.finish !== 'stop') {
        const rest = row.decoder.flush();
        if (rest) {
          const { emit, stopped } = row.stops.push(rest);
          if (emit) req.onText?.(row.index, emit);
          if (stopped) row.finish = 'stop';
        }
        if (row.finish !== 'stop') {
          const held = row.stops.flush();
          if (held) req.onText?.(row.index, held);
        }
      }
      return { tokenIds: row.tokenIds, logprobs: row.logprobs, text: row.stops.fullText, finishReason: row.finish ?? 'length' };
    });
    return { rows: results, promptTokens: promptIds.length, seconds: (performance.now() - t0) / 1000, timeToFirstTokenMs: ttft };
  }

  /**
   * One forward pass of `ids` (one row per batch entry, equal lengths) after `past`; returns the last position's
   * logits per row and the new cache.
   */
  async step(ids: number[][], past: KvCache, pastLength: number): Promise<{ logits: Float32Array[]; cache: KvCache; all: Float32Array; dims: readonly number[] }> {
    const session = this.session;
    if (!session) fail('unavailable', 'The model was unloaded.');
    const batch = ids.length;
    const seq = ids[0]!.length;
    const total = pastLength + seq;
    const inputIds = new BigInt64Array(batch * seq);
    for (let b = 0; b < batch; b++) {
      const row = ids[b]!;
      for (let s = 0; s < seq; s++) inputIds[b * seq + s] = BigInt(row[s]!);
    }
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', inputIds, [batch, seq]),
      attention_mask: new ort.Tensor('int64', this.onesView(batch * total), [batch, total]),
      ...past.feeds,
    };
    if (this.layout.hasPositionIds) {
      const pos = new BigInt64Array(batch * seq);
      for (let b = 0; b < batch; b++) for (let s = 0; s < seq; s++) pos[b * seq + s] = BigInt(pastLength + s);
      feeds.position_ids = new ort.Tensor('int64', pos, [batch, seq]);
    }
    // Only the last position's logits are sampled from: models that can skip the rest (a prompt × a 150k
    // vocabulary is large) are asked to.
    if (this.hasLogitsToKeep) feeds[this.hasLogitsToKeep] = new ort.Tensor('int64', BigInt64Array.from([1n]), []);
    // Older Optimum "merged" decoders switch between their with-past and without-past branches on this input.
    if (this.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.from([pastLength > 0 ? 1 : 0]), [1]);
    const outputs = await session.run(feeds);
    const logitsTensor = outputs.logits as ort.Tensor;
    const [, outSeq, vocab] = logitsTensor.dims as [number, number, number];
    let all: Float32Array;
    if (logitsTensor.type === 'float16') {
      const half = (logitsTensor.location === 'cpu' ? logitsTensor.data : await logitsTensor.getData()) as Uint16Array;
      all = Float32Array.from(half, halfToFloat);
    } else {
      all = (logitsTensor.location === 'cpu' ? logitsTensor.data : await logitsTensor.getData()) as Float32Array;
    }
    const logits = Array.from({ length: batch }, (_, b) => all.subarray((b * outSeq + outSeq - 1) * vocab, (b * outSeq + outSeq) * vocab));
    return { logits, cache: KvCache.fromOutputs(outputs, this.layout), all, dims: logitsTensor.dims };
  }

  /**
   * An all-ones int64 view of `n` elements for the attention mask (no padding: rows of a batch have equal lengths).
   * One buffer is kept and grown, instead of allocating and filling a new mask every decode step; onnxruntime only
   * reads inputs, so sharing it between steps is safe.
   */
  private onesView(n: number): BigInt64Array {
    if (this.ones.length < n) this.ones = new BigInt64Array(Math.max(n, this.ones.length * 2, 1024)).fill(1n);
    return this.ones.subarray(0, n);
  }

  async dispose(): Promise<void> {
    const session = this.session;
    this.session = null;
    await this.queue;
    await session?.release();
  }
}
