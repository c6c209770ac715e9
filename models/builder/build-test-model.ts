/**
 * Builds a small random-weight decoder model folder for tests, e2e and benchmarks:
 *   tsx models/builder/build-test-model.ts --arch llama|gpt2 --out DIR [--size tiny|small|medium] [--seed N] [--external-data] [--dtype fp32|fp16]
 * or `await buildTestModel({ arch: 'llama', out })`. Same seed and size → identical files.
 */
import { pathToFileURL } from 'node:url';
import { trainByteLevel, trainSentencePiece } from './bpe-train.ts';
import { CORPUS } from './corpus.ts';
import { buildGpt2Graph, buildLlamaGraph, type DecoderDims, type Gpt2Weights, type LlamaWeights } from './decoder-graph.ts';
import { type DecoderArch, writeDecoderFolder } from './model-folder.ts';
import { byteLevelTokenizer, sentencePieceTokenizer } from './tokenizer-json.ts';
import { seededRandom } from '../../electron/engine/inference/sampler.ts';

export type TestModelSize = 'tiny' | 'small' | 'medium';

export interface TestModelOptions {
  arch: DecoderArch;
  out: string;
  size?: TestModelSize;
  seed?: number;
  externalData?: boolean;
  /** 'fp16': float16 KV cache and logits at the boundary, written as onnx/model_fp16.onnx. */
  dtype?: 'fp32' | 'fp16';
  /** Add a `num_logits_to_keep` input, as recent exports have. */
  logitsToKeep?: boolean;
  /** A chat template for tokenizer_config.json (llama only). */
  chatTemplate?: string;
}

const SIZES: Record<TestModelSize, { hidden: number; layers: number; heads: number; kvHeads: number; intermediate: number; maxPositions: number; merges: number }> = {
  tiny: { hidden: 64, layers: 2, heads: 4, kvHeads: 2, intermediate: 128, maxPositions: 256, merges: 300 },
  small: { hidden: 256, layers: 4, heads: 8, kvHeads: 4, intermediate: 688, maxPositions: 1024, merges: 600 },
  medium: { hidden: 512, layers: 8, heads: 8, kvHeads: 4, intermediate: 1376, maxPositions: 2048, merges: 600 },
};

/** Approximately normal values (sum of uniforms of the engine's seeded RNG), deterministic per seed. */
function normalSource(seed: number): (std: number) => number {
  const uniform = seededRandom(seed);
  return (std) => (uniform() + uniform() + uniform() + uniform() - 2) * Math.sqrt(3) * std;
}

export async function buildTestModel(o: TestModelOptions): Promise<void> {
  const size = SIZES[o.size ?? 'tiny'];
  const normal = normalSource(o.seed ?? 1);
  const mat = (n: number, std: number) => Float32Array.from({ length: n }, () => normal(std));
  const ones = (n: number) => new Float32Array(n).fill(1);
  const ioType = o.dtype === 'fp16' ? 'float16' : 'float32';
  const onnxFile = o.dtype === 'fp16' ? 'model_fp16.onnx' : 'model.onnx';
  const zeros = (n: number) => new Float32Array(n);

  if (o.arch === 'llama') {
    const pieces = trainSentencePiece(CORPUS, size.merges);
    const tokenizer = sentencePieceTokenizer(pieces, o.chatTemplate);
    const dims: DecoderDims = { vocabSize: pieces.length, ...size, ioType, logitsToKeep: o.logitsToKeep };
    const hd = dims.hidden / dims.heads;
    const std = 1 / Math.sqrt(dims.hidden);
    const weights: LlamaWeights = {
      embed: mat(dims.vocabSize * dims.hidden, 1),
      layers: Array.from({ length: dims.layers }, () => ({
        attnNorm: ones(dims.hidden),
        wq: mat(dims.hidden * dims.heads * hd, std),
        wk: mat(dims.hidden * dims.kvHeads * hd, std),
        wv: mat(dims.hidden * dims.kvHeads * hd, std),
        wo: mat(dims.heads * hd * dims.hidden, std),
        ffnNorm: ones(dims.hidden),
        w1: mat(dims.hidden * dims.intermediate, std),
        w2: mat(dims.intermediate * dims.hidden, 1 / Math.sqrt(dims.intermediate)),
        w3: mat(dims.hidden * dims.intermediate, std),
      })),
      norm: ones(dims.hidden),
      lmHead: mat(dims.hidden * dims.vocabSize, 2 * std),
      ropeTheta: 10000,
      rmsEps: 1e-5,
    };
    await writeDecoderFolder(o.out, { arch: 'llama', dims, graph: buildLlamaGraph(dims, weights), tokenizer, bosTokenId: 1, eosTokenId: 2, externalData: o.externalData, onnxFile });
    return;
  }
  const tokenizer = byteLevelTokenizer(trainByteLevel(CORPUS, size.merges));
  const vocabSize = Object.keys((tokenizer.tokenizerJson.model as { vocab: object }).vocab).length;
  const dims: DecoderDims = { vocabSize, ...size, kvHeads: size.heads, intermediate: 4 * size.hidden, ioType, logitsToKeep: o.logitsToKeep };
  const D = dims.hidden;
  const std = 1 / Math.sqrt(D);
  const weights: Gpt2Weights = {
    wte: mat(vocabSize * D, 0.2),
    wpe: mat(dims.maxPositions * D, 0.05),
    layers: Array.from({ length: dims.layers }, () => ({
      ln1g: ones(D),
      ln1b: zeros(D),
      attnW: mat(D * 3 * D, std),
      attnB: mat(3 * D, 0.02),
      projW: mat(D * D, std),
      projB: zeros(D),
      ln2g: ones(D),
      ln2b: zeros(D),
      fcW: mat(D * dims.intermediate, std),
      fcB: mat(dims.intermediate, 0.02),
      fcProjW: mat(dims.intermediate * D, 1 / Math.sqrt(dims.intermediate)),
      fcProjB: zeros(D),
    })),
    lnfG: ones(D),
    lnfB: zeros(D),
    lnEps: 1e-5,
  };
  const eos = vocabSize - 1;
  await writeDecoderFolder(o.out, { arch: 'gpt2', dims, graph: buildGpt2Graph(dims, weights), tokenizer, bosTokenId: eos, eosTokenId: eos, externalData: o.externalData, onnxFile });
}

function parseArgs(argv: string[]): TestModelOptions {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const arch = get('--arch');
  const out = get('--out');
  const size = get('--size') ?? 'tiny';
  if ((arch !== 'llama' && arch !== 'gpt2') || !out || !(size in SIZES)) {
    throw new Error('usage: build-test-model --arch llama|gpt2 --out DIR [--size tiny|small|medium] [--seed N] [--external-data] [--dtype fp32|fp16]');
  }
  const dtype = get('--dtype') ?? 'fp32';
  if (dtype !== 'fp32' && dtype !== 'fp16') throw new Error('--dtype must be fp32 or fp16');
  return { arch, out, size: size as TestModelSize, seed: Number(get('--seed') ?? 1), externalData: argv.includes('--external-data'), dtype };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const options = parseArgs(process.argv.slice(2));
    await buildTestModel(options);
    console.log(`wrote a ${options.size} ${options.arch} test model to ${options.out}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
}
