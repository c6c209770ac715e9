/**
 * The classifier runtime: ONNX cross-encoders (PairClassifier) and bi-encoders (Embedder) from an Optimum-layout
 * folder, on the same provider selection as the generator. Inputs are batched (one run per batch of texts/pairs).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { createSession } from '../inference/session.ts';
import type { Embedder, PairClassifier } from '../services/types.ts';
import { ClassifierTokenizer, type Encoded } from './encode.ts';
import { readClassifierFolder, type ClassifierFolder } from './modelFolder.ts';

export interface LoadOptions {
  providers?: readonly ExecutionProvider[];
  /** Texts or pairs per ONNX run. */
  batchSize?: number;
  /** Cap on tokens per input (below the model's own limit). */
  maxLength?: number;
}

interface Runner {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  fallbackReason?: string;
}

const DEFAULT_BATCH = 32;

function toBatch(encoded: Encoded[], inputNames: readonly string[]): Record<string, ort.Tensor> {
  const width = Math.max(1, ...encoded.map((e) => e.ids.length));
  const n = encoded.length;
  const ids = new BigInt64Array(n * width);
  const mask = new BigInt64Array(n * width);
  const types = new BigInt64Array(n * width);
  encoded.forEach((e, row) => {
    for (let i = 0; i < e.ids.length; i++) {
      ids[row * width + i] = BigInt(e.ids[i]!);
      mask[row * width + i] = 1n;
      types[row * width + i] = BigInt(e.typeIds[i] ?? 0);
    }
  });
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of inputNames) {
    if (name === 'input_ids') feeds[name] = new ort.Tensor('int64', ids, [n, width]);
    else if (name === 'attention_mask') feeds[name] = new ort.Tensor('int64', mask, [n, width]);
    else if (name === 'token_type_ids') feeds[name] = new ort.Tensor('int64', types, [n, width]);
    else fail('bad_input', `The classifier expects an input "${name}" that Longhand does not know how to fill.`, { hint: 'Use a BERT/MiniLM/RoBERTa/DeBERTa-style model exported with Optimum.' });
  }
  return feeds;
}

function checkInputs(folder: ClassifierFolder, session: ort.InferenceSession): void {
  if (session.inputNames.some((n) => n.startsWith('past_key_values') || n === 'position_ids')) {
    fail('bad_input', 'This ONNX model takes a KV cache: it is a text-generation (decoder) model, not a relevance classifier.', {
      file: folder.onnxPath,
      hint: 'Choose a cross-encoder or a sentence-embedding model for the relevance role.',
    });
  }
  if (!session.inputNames.includes('input_ids')) {
    fail('bad_input', `The ONNX model has no input_ids input (it has ${session.inputNames.join(', ')}).`, { file: folder.onnxPath });
  }
}

/** Runs `encoded` in batches through the session and hands each batch's named output to `take`. */
async function runBatches(runner: Runner, encoded: Encoded[], batchSize: number, output: string, take: (t: ort.Tensor, start: number, rows: Encoded[]) => void): Promise<void> {
  // Sorting by length keeps padding small; results go back to input order through `start` + the order map.
  for (let start = 0; start < encoded.length; start += batchSize) {
    const rows = encoded.slice(start, start + batchSize);
    const result = await runner.session.run(toBatch(rows, runner.session.inputNames));
    const t = result[output];
    if (!t) fail('bad_input', `The model did not return "${output}".`);
    take(t, start, rows);
    for (const v of Object.values(result)) v.dispose?.();
  }
}

function sortedByLength(encoded: Encoded[]): { order: number[]; sorted: Encoded[] } {
  const order = encoded.map((_, i) => i).sort((a, b) => encoded[a]!.ids.length - encoded[b]!.ids.length);
  return { order, sorted: order.map((i) => encoded[i]!) };
}

/** What both model kinds share: the folder, its ONNX session (and provider), the tokenizer, the batch size. */
abstract class OnnxEncoder {
  readonly provider: ExecutionProvider;
  readonly fallbackReason?: string;
  protected readonly folder: ClassifierFolder;
  protected readonly tokenizer: ClassifierTokenizer;
  protected readonly runner: Runner;
  protected readonly batchSize: number;

  constructor(folder: ClassifierFolder, runner: Runner, options: LoadOptions) {
    this.folder = folder;
    this.runner = runner;
    this.provider = runner.provider;
    if (runner.fallbackReason) this.fallbackReason = runner.fallbackReason;
    this.tokenizer = new ClassifierTokenizer(folder.tokenizerJson, folder.tokenizerConfig, Math.min(folder.maxLength, options.maxLength ?? Infinity));
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
  }

  get dir(): string {
    return this.folder.dir;
  }

  async dispose(): Promise<void> {
    await this.runner.session.release();
  }
}

export class OnnxPairClassifier extends OnnxEncoder implements PairClassifier {
  readonly labels: string[];

  constructor(folder: ClassifierFolder, runner: Runner, options: LoadOptions) {
    super(folder, runner, options);
    this.labels = folder.labels;
  }

  async classify(pairs: Array<[string, string]>): Promise<number[][]> {
    const { order, sorted } = sortedByLength(pairs.map(([q, p]) => this.tokenizer.encodePair(q, p)));
    const out: number[][] = new Array(pairs.length);
    const n = this.labels.length;
    await runBatches(this.runner, sorted, this.batchSize, 'logits', (t, start, rows) => {
      const data = t.data as Float32Array;
      const width = t.dims[1] ?? 1;
      if (width !== n) fail('bad_input', `The model returns ${width} logits per pair but config.json names ${n} labels.`, { file: this.folder.dir });
      rows.forEach((_, r) => {
        const logits = Array.from(data.subarray(r * width, (r + 1) * width));
        out[order[start + r]!] = width === 1 ? [1 / (1 + Math.exp(-logits[0]!))] : softmax(logits);
      });
    });
    return out;
  }

  /** The index of the label that means "relevant"/"entailed" (or the single score). */
  positiveIndex(): number {
    if (this.labels.length <= 1) return 0;
    const i = this.labels.findIndex((l) => /relevant|entail|positive|yes|true/i.test(l) && !/not|non|irrelevant/i.test(l));
    return i >= 0 ? i : this.labels.length - 1;
  }
}

export class OnnxEmbedder extends OnnxEncoder implements Embedder {
  private readonly output: string;

  constructor(folder: ClassifierFolder, runner: Runner, options: LoadOptions) {
    super(folder, runner, options);
    const names = runner.session.outputNames;
    const output = ['sentence_embedding', 'last_hidden_state', 'token_embeddings'].find((o) => names.includes(o));
    if (!output) {
      fail('bad_input', `The model's outputs (${names.join(', ')}) are not sentence embeddings (last_hidden_state or sentence_embedding).`, {
        file: folder.onnxPath,
        hint: 'Use a sentence-embedding model such as all-MiniLM-L6-v2, or a cross-encoder (…ForSequenceClassification).',
      });
    }
    this.output = output;
  }

  /** L2-normalized embeddings: the model's pooled output, or the attention-masked mean of its token states. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    const { order, sorted } = sortedByLength(texts.map((t) => this.tokenizer.encode(t)));
    const out: Float32Array[] = new Array(texts.length);
    await runBatches(this.runner, sorted, this.batchSize, this.output, (t, start, rows) => {
      const data = t.data as Float32Array;
      if (t.dims.length === 2) {
        const h = t.dims[1]!;
        rows.forEach((_, r) => (out[order[start + r]!] = normalize(data.slice(r * h, (r + 1) * h))));
        return;
      }
      const [, width, h] = t.dims as [number, number, number];
      rows.forEach((row, r) => {
        const v = new Float32Array(h);
        const len = Math.min(row.ids.length, width);
        for (let i = 0; i < len; i++) {
          const base = (r * width + i) * h;
          for (let k = 0; k < h; k++) v[k]! += data[base + k]!;
        }
        for (let k = 0; k < h; k++) v[k]! /= Math.max(1, len);
        out[order[start + r]!] = normalize(v);
      });
    });
    return out;
  }
}

export type LoadedClassifier = { kind: 'cross-encoder'; model: OnnxPairClassifier } | { kind: 'bi-encoder'; model: OnnxEmbedder };

export async function loadClassifier(dir: string, options: LoadOptions = {}): Promise<LoadedClassifier> {
  const folder = readClassifierFolder(dir);
  let runner: Runner;
  try {
    // Inside an Electron asar archive only Node's (patched) fs can read the file, not ORT's native loader.
    const model = folder.onnxPath.includes(`.asar${path.sep}`) ? new Uint8Array(fs.readFileSync(folder.onnxPath)) : folder.onnxPath;
    runner = await createSession(model, options.providers ? { providers: options.providers } : {});
  } catch (err) {
    fail('bad_input', `The ONNX model could not be loaded: ${(err as Error).message.split('\n')[0]}`, { file: folder.onnxPath, hint: 'Re-download or rebuild the model; the file may be truncated.' });
  }
  try {
    checkInputs(folder, runner.session);
    if (folder.kind === 'cross-encoder') {
      if (!runner.session.outputNames.includes('logits')) fail('bad_input', 'A sequence classifier must output "logits".', { file: folder.onnxPath });
      return { kind: 'cross-encoder', model: new OnnxPairClassifier(folder, runner, options) };
    }
    return { kind: 'bi-encoder', model: new OnnxEmbedder(folder, runner, options) };
  } catch (err) {
    await runner.session.release();
    throw err;
  }
}

export function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const e = logits.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
