/**
 * llama2.c checkpoint (legacy format: 7 int32 header + float32 weights) and tokenizer.bin → a model folder in the
 * Optimum layout: an ONNX Llama decoder with KV cache and a tokenizer.json reproducing llama2.c's score-based BPE
 * with byte fallback.
 */
import { readFile } from 'node:fs/promises';
import { fail } from '../../electron/engine/errors.ts';
import { buildLlamaGraph, type DecoderDims, type LlamaWeights } from './decoder-graph.ts';
import { writeDecoderFolder } from './model-folder.ts';
import { type Piece, sentencePieceTokenizer } from './tokenizer-json.ts';

export interface Llama2cConfig {
  dim: number;
  hiddenDim: number;
  layers: number;
  heads: number;
  kvHeads: number;
  vocabSize: number;
  seqLen: number;
  sharedClassifier: boolean;
}

/** The checkpoint's tensors as llama2.c lays them out: matrices [out, in], row-major. */
export interface Llama2cCheckpoint {
  config: Llama2cConfig;
  tokenEmbedding: Float32Array;
  rmsAtt: Float32Array[];
  wq: Float32Array[];
  wk: Float32Array[];
  wv: Float32Array[];
  wo: Float32Array[];
  rmsFfn: Float32Array[];
  w1: Float32Array[];
  w2: Float32Array[];
  w3: Float32Array[];
  rmsFinal: Float32Array;
  wcls: Float32Array;
}

export function parseCheckpoint(bytes: Uint8Array, file = 'checkpoint'): Llama2cCheckpoint {
  if (bytes.byteLength < 28) fail('bad_input', `${file} is too small to be a llama2.c checkpoint (${bytes.byteLength} bytes).`, { file });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) === 0x616b3432) {
    fail('bad_input', `${file} is a llama2.c version ${view.getInt32(4, true)} checkpoint; only the legacy (version 0) format is supported.`, {
      file,
      hint: 'Export it again with llama2.c: python export.py out.bin --version 0 --checkpoint ckpt.pt',
    });
  }
  const h = Array.from({ length: 7 }, (_, i) => view.getInt32(i * 4, true));
  const [dim, hiddenDim, layers, heads, kvHeads, rawVocab, seqLen] = h as [number, number, number, number, number, number, number];
  const vocabSize = Math.abs(rawVocab);
  const sane = dim > 0 && hiddenDim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && vocabSize > 0 && seqLen > 0 && dim % heads === 0 && heads % kvHeads === 0 && dim < 65536 && layers < 1024;
  if (!sane) {
    fail('bad_input', `${file} does not have a llama2.c header (dim ${dim}, hidden ${hiddenDim}, layers ${layers}, heads ${heads}/${kvHeads}, vocab ${rawVocab}, seq ${seqLen}).`, {
      file,
      hint: 'Use a checkpoint written by llama2.c export.py in the legacy (version 0) format, e.g. stories260K.bin.',
    });
  }
  const config: Llama2cConfig = { dim, hiddenDim, layers, heads, kvHeads, vocabSize, seqLen, sharedClassifier: rawVocab > 0 };
  const hs = dim / heads;
  const kvDim = kvHeads * hs;
  const sizes = {
    emb: vocabSize * dim,
    perLayer: dim + dim * dim + 2 * dim * kvDim + dim * dim + dim + 3 * dim * hiddenDim,
    rest: dim + seqLen * hs,
  };
  const expected = sizes.emb + layers * sizes.perLayer + sizes.rest + (config.sharedClassifier ? 0 : vocabSize * dim);
  const available = (bytes.byteLength - 28) / 4;
  if (available < expected) {
    fail('bad_input', `${file} is truncated: the header describes ${expected} weights but the file holds ${Math.floor(available)}.`, { file, hint: 'Download the checkpoint again.' });
  }
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 28, bytes.byteOffset + 28 + expected * 4));
  let off = 0;
  const take = (n: number) => floats.subarray(off, (off += n));
  const perLayer = (n: number) => Array.from({ length: layers }, () => take(n));
  const tokenEmbedding = take(vocabSize * dim);
  const ckpt = {
    config,
    tokenEmbedding,
    rmsAtt: perLayer(dim),
    wq: perLayer(dim * dim),
    wk: perLayer(kvDim * dim),
    wv: perLayer(kvDim * dim),
    wo: perLayer(dim * dim),
    rmsFfn: perLayer(dim),
    w1: perLayer(hiddenDim * dim),
    w2: perLayer(dim * hiddenDim),
    w3: perLayer(hiddenDim * dim),
    rmsFinal: take(dim),
  };
  take(seqLen * hs); // freq_cis_real and freq_cis_imag (seqLen·hs/2 each): unused, rotary tables are recomputed
  const wcls = config.sharedClassifier ? tokenEmbedding : take(vocabSize * dim);
  return { ...ckpt, wcls };
}

export interface Llama2cToken {
  /** The raw piece bytes as llama2.c stores them (spaces as ' '). */
  bytes: Uint8Array;
  score: number;
}

export function parseTokenizer(bytes: Uint8Array, vocabSize: number, file = 'tokenizer.bin'): Llama2cToken[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tokens: Llama2cToken[] = [];
  let off = 4; // max_token_length
  for (let i = 0; i < vocabSize; i++) {
    if (off + 8 > bytes.byteLength) fail('bad_input', `${file} ends after ${i} of ${vocabSize} tokens.`, { file, hint: 'Use the tokenizer.bin that belongs to the checkpoint (its vocabulary size must match).' });
    const score = view.getFloat32(off, true);
    const len = view.getInt32(off + 4, true);
    off += 8;
    if (len < 0 || off + len > bytes.byteLength) fail('bad_input', `${file} is corrupt at token ${i}.`, { file });
    tokens.push({ bytes: bytes.slice(off, off + len), score });
    off += len;
  }
  return tokens;
}

/** llama2.c pieces → SentencePiece-style pieces for tokenizer.json ('▁' for spaces; <unk>, <s>, </s> named). */
export function piecesFromLlama2c(tokens: readonly Llama2cToken[]): Piece[] {
  const dec = new TextDecoder('utf-8', { fatal: false });
  return tokens.map((t, id) => {
    if (id === 0) return { piece: '<unk>', score: t.score };
    if (id === 1) return { piece: '<s>', score: t.score };
    if (id === 2) return { piece: '</s>', score: t.score };
    return { piece: dec.decode(t.bytes).replace(/ /g, '▁'), score: t.score };
  });
}

/** [rows, cols] row-major → [cols, rows], optionally reordering the source rows with `rowOrder`. */
function transpose(m: Float32Array, rows: number, cols: number, rowOrder?: (r: number) => number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const src = rowOrder ? rowOrder(r) : r;
    for (let c = 0; c < cols; c++) out[c * rows + r] = m[src * cols + c]!;
  }
  return out;
}

/**
 * llama2.c rotates interleaved pairs (2i, 2i+1) of each head; the graph rotates halves (i, i + hs/2). Reordering
 * the q/k output rows per head maps one onto the other (q·k is unchanged as both get the same order).
 */
function interleavedToHalf(hs: number): (r: number) => number {
  return (r) => {
    const head = Math.floor(r / hs);
    const j = r % hs;
    return head * hs + (j < hs / 2 ? 2 * j : 2 * (j - hs / 2) + 1);
  };
}

export function llamaWeightsFromCheckpoint(c: Llama2cCheckpoint): { dims: DecoderDims; weights: LlamaWeights } {
  const { dim, hiddenDim, layers, heads, kvHeads, vocabSize, seqLen } = c.config;
  const hs = dim / heads;
  const kvDim = kvHeads * hs;
  const perm = interleavedToHalf(hs);
  const dims: DecoderDims = { vocabSize, hidden: dim, layers, heads, kvHeads, intermediate: hiddenDim, maxPositions: seqLen };
  const weights: LlamaWeights = {
    embed: c.tokenEmbedding,
    layers: Array.from({ length: layers }, (_, l) => ({
      attnNorm: c.rmsAtt[l]!,
      wq: transpose(c.wq[l]!, dim, dim, perm),
      wk: transpose(c.wk[l]!, kvDim, dim, perm),
      wv: transpose(c.wv[l]!, kvDim, dim),
      wo: transpose(c.wo[l]!, dim, dim),
      ffnNorm: c.rmsFfn[l]!,
      w1: transpose(c.w1[l]!, hiddenDim, dim),
      w2: transpose(c.w2[l]!, dim, hiddenDim),
      w3: transpose(c.w3[l]!, hiddenDim, dim),
    })),
    norm: c.rmsFinal,
    lmHead: transpose(c.wcls, vocabSize, dim),
    ropeTheta: 10000,
    rmsEps: 1e-5,
  };
  return { dims, weights };
}

async function readInput(file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    fail('not_found', `The ${what} was not found: ${file}`, { file, hint: 'Check the path.' });
  }
}

export async function convertLlama2c(checkpointPath: string, tokenizerPath: string, outDir: string): Promise<{ config: Llama2cConfig }> {
  const checkpoint = parseCheckpoint(await readInput(checkpointPath, 'llama2.c checkpoint'), checkpointPath);
  const tokens = parseTokenizer(await readInput(tokenizerPath, 'llama2.c tokenizer'), checkpoint.config.vocabSize, tokenizerPath);
  const { dims, weights } = llamaWeightsFromCheckpoint(checkpoint);
  await writeDecoderFolder(outDir, {
    arch: 'llama',
    dims,
    graph: buildLlamaGraph(dims, weights),
    tokenizer: sentencePieceTokenizer(piecesFromLlama2c(tokens)),
    bosTokenId: 1,
    // llama2.c models (TinyStories) end a story with BOS, and run.c stops there: both end generation.
    eosTokenId: 2,
    configExtra: { eos_token_id: [2, 1], _name_or_path: checkpointPath.split(/[\\/]/).pop()!.replace(/\.bin$/, '') },
  });
  return { config: checkpoint.config };
}
