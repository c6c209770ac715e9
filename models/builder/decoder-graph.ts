/**
 * Decoder-only transformer graphs in the Optimum / transformers.js layout:
 *   inputs  input_ids [batch, seq], attention_mask [batch, past+seq], position_ids [batch, seq] (llama only),
 *           past_key_values.N.key/value [batch, kv_heads, past, head_dim]
 *   outputs logits [batch, seq, vocab], present.N.key/value [batch, kv_heads, past+seq, head_dim]
 * Llama: RMSNorm, rotary embeddings (rotate-half), grouped-query attention, SwiGLU. GPT-2: LayerNorm, learned
 * positions, fused qkv with biases, gelu (tanh), tied lm head. Weight matrices are [in, out] (MatMul order).
 */
import { GraphBuilder, floatAttr } from './onnx.ts';

export interface DecoderDims {
  vocabSize: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  intermediate: number;
  maxPositions: number;
  /** Add the `num_logits_to_keep` input (logits for the last N positions; 0 = all), as recent exports have. */
  logitsToKeep?: boolean;
  /** Type of the KV cache and logits at the graph boundary (inside, the math is float32); default float32. */
  ioType?: 'float32' | 'float16';
}

export interface LlamaLayerWeights {
  attnNorm: Float32Array;
  wq: Float32Array;
  wk: Float32Array;
  wv: Float32Array;
  wo: Float32Array;
  ffnNorm: Float32Array;
  /** gate */
  w1: Float32Array;
  /** down */
  w2: Float32Array;
  /** up */
  w3: Float32Array;
}

export interface LlamaWeights {
  embed: Float32Array;
  layers: LlamaLayerWeights[];
  norm: Float32Array;
  /** [hidden, vocab] */
  lmHead: Float32Array;
  ropeTheta: number;
  rmsEps: number;
}

export interface Gpt2LayerWeights {
  ln1g: Float32Array;
  ln1b: Float32Array;
  /** [hidden, 3*hidden]: q, k, v */
  attnW: Float32Array;
  attnB: Float32Array;
  projW: Float32Array;
  projB: Float32Array;
  ln2g: Float32Array;
  ln2b: Float32Array;
  fcW: Float32Array;
  fcB: Float32Array;
  fcProjW: Float32Array;
  fcProjB: Float32Array;
}

export interface Gpt2Weights {
  wte: Float32Array;
  wpe: Float32Array;
  layers: Gpt2LayerWeights[];
  lnfG: Float32Array;
  lnfB: Float32Array;
  lnEps: number;
}

interface Common {
  g: GraphBuilder;
  dims: DecoderDims;
  headDim: number;
  /** additive mask [batch, 1, seq, total] */
  mask: string;
  /** past length as a 0-d int64 and total length */
  pastLen: string;
  totalLen: string;
}

function declareIo(g: GraphBuilder, dims: DecoderDims, withPositionIds: boolean): void {
  const hd = dims.hidden / dims.heads;
  const io = dims.ioType ?? 'float32';
  g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  if (withPositionIds) g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  if (dims.logitsToKeep) g.input('num_logits_to_keep', 'int64', []);
  for (let l = 0; l < dims.layers; l++) {
    for (const kv of ['key', 'value']) g.input(`past_key_values.${l}.${kv}`, io, ['batch_size', dims.kvHeads, 'past_sequence_length', hd]);
  }
  g.output('logits', io, ['batch_size', 'sequence_length', dims.vocabSize]);
  for (let l = 0; l < dims.layers; l++) {
    for (const kv of ['key', 'value']) g.output(`present.${l}.${kv}`, io, ['batch_size', dims.kvHeads, 'total_sequence_length', hd]);
  }
}

/** The causal + padding mask, built once from the shapes of input_ids and attention_mask. */
function buildMask(g: GraphBuilder, dims: DecoderDims): Common {
  const total1 = g.op('Shape', ['attention_mask'], { start: 1, end: 2 });
  const seq1 = g.op('Shape', ['input_ids'], { start: 1, end: 2 });
  const past1 = g.op('Sub', [total1, seq1]);
  const totalLen = g.op('Squeeze', [total1]);
  const pastLen = g.op('Squeeze', [past1]);
  const zero = g.initializer(g.fresh('zero'), BigInt64Array.from([0n]), []);
  const one = g.initializer(g.fresh('one'), BigInt64Array.from([1n]), []);
  const keyPos = g.op('Range', [zero, totalLen, one]);
  const queryPos = g.op('Range', [pastLen, totalLen, one]);
  const causal = g.op('LessOrEqual', [g.op('Unsqueeze', [keyPos, g.int64([0])]), g.op('Unsqueeze', [queryPos, g.int64([1])])]);
  const padding = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: 9 }), g.int64([1, 2])]);
  const allowed = g.op('And', [causal, padding]);
  const mask = g.op('Where', [allowed, g.float32([0], []), g.float32([-1e9], [])]);
  return { g, dims, headDim: dims.hidden / dims.heads, mask, pastLen, totalLen };
}

/** [B,S,n*hd] → [B,n,S,hd] */
function toHeads(c: Common, x: string, n: number): string {
  const { g } = c;
  return g.op('Transpose', [g.op('Reshape', [x, g.int64([0, 0, n, c.headDim])])], { perm: [0, 2, 1, 3] });
}

/**
 * Attention over the cache: q [B,H,S,hd], k/v [B,KV,S,hd] (new positions); writes present.l.key/value and returns
 * [B,S,H*hd]. Grouped-query attention folds the query heads of a group into the rows (no K/V repeat).
 */
function attention(c: Common, layer: number, q: string, k: string, v: string): string {
  const { g, dims, headDim } = c;
  const half = dims.ioType === 'float16';
  const past = (kv: string) => (half ? g.op('Cast', [`past_key_values.${layer}.${kv}`], { to: 1 }) : `past_key_values.${layer}.${kv}`);
  const presentK = half ? g.fresh('present_k') : `present.${layer}.key`;
  const presentV = half ? g.fresh('present_v') : `present.${layer}.value`;
  g.node('Concat', [past('key'), k], [presentK], { axis: 2 });
  g.node('Concat', [past('value'), v], [presentV], { axis: 2 });
  if (half) {
    g.node('Cast', [presentK], [`present.${layer}.key`], { to: 10 });
    g.node('Cast', [presentV], [`present.${layer}.value`], { to: 10 });
  }
  const rep = dims.heads / dims.kvHeads;
  const scaled = g.op('Mul', [q, g.float32([1 / Math.sqrt(headDim)], [])]);
  const grouped = rep === 1 ? scaled : g.op('Reshape', [scaled, g.int64([0, dims.kvHeads, -1, headDim])]);
  const scores = g.op('MatMul', [grouped, g.op('Transpose', [presentK], { perm: [0, 1, 3, 2] })]);
  const mask = rep === 1 ? c.mask : g.op('Tile', [c.mask, g.int64([1, 1, rep, 1])]);
  const probs = g.op('Softmax', [g.op('Add', [scores, mask])], { axis: -1 });
  const ctx = g.op('MatMul', [probs, presentV]);
  const heads = rep === 1 ? ctx : g.op('Reshape', [ctx, g.int64([0, dims.heads, -1, headDim])]);
  const merged = g.op('Transpose', [heads], { perm: [0, 2, 1, 3] });
  return g.op('Reshape', [merged, g.int64([0, 0, dims.heads * headDim])]);
}

/** x [B,S,D] → its last num_logits_to_keep positions (all when 0 or when the input is absent). */
function keepLast(g: GraphBuilder, dims: DecoderDims, x: string): string {
  if (!dims.logitsToKeep) return x;
  const start = g.op('Unsqueeze', [g.op('Neg', ['num_logits_to_keep']), g.int64([0])]);
  return g.op('Slice', [x, start, g.int64([Number.MAX_SAFE_INTEGER]), g.int64([1])]);
}

function logitsOut(g: GraphBuilder, dims: DecoderDims, logits: string): void {
  g.node(dims.ioType === 'float16' ? 'Cast' : 'Identity', [logits], ['logits'], dims.ioType === 'float16' ? { to: 10 } : {});
}

function rmsNorm(g: GraphBuilder, x: string, weight: string, eps: number): string {
  const meanSq = g.op('ReduceMean', [g.op('Pow', [x, g.float32([2], [])])], { axes: [-1], keepdims: 1 });
  const denom = g.op('Sqrt', [g.op('Add', [meanSq, g.float32([eps], [])])]);
  return g.op('Mul', [g.op('Div', [x, denom]), weight]);
}

/** Rotate-half rotary embedding of x [B,n,S,hd] with cos/sin [B,1,S,hd/2]. */
function rope(c: Common, x: string, cos: string, sin: string): string {
  const { g, headDim } = c;
  const half = g.int64([headDim / 2, headDim / 2]);
  const x1 = g.fresh('rope_x1');
  const x2 = g.fresh('rope_x2');
  g.node('Split', [x, half], [x1, x2], { axis: -1 });
  const r1 = g.op('Sub', [g.op('Mul', [x1, cos]), g.op('Mul', [x2, sin])]);
  const r2 = g.op('Add', [g.op('Mul', [x2, cos]), g.op('Mul', [x1, sin])]);
  return g.op('Concat', [r1, r2], { axis: -1 });
}

export function buildLlamaGraph(dims: DecoderDims, w: LlamaWeights): GraphBuilder {
  const g = new GraphBuilder('llama_decoder');
  declareIo(g, dims, true);
  const c = buildMask(g, dims);
  const hd = c.headDim;
  if (hd % 2 !== 0) throw new Error(`head_dim ${hd} must be even for rotary embeddings`);
  // cos/sin tables [maxPositions, hd/2], gathered by position_ids.
  const cosT = new Float32Array(dims.maxPositions * (hd / 2));
  const sinT = new Float32Array(dims.maxPositions * (hd / 2));
  for (let p = 0; p < dims.maxPositions; p++) {
    for (let i = 0; i < hd / 2; i++) {
      const freq = 1 / Math.pow(w.ropeTheta, (2 * i) / hd);
      cosT[p * (hd / 2) + i] = Math.cos(p * freq);
      sinT[p * (hd / 2) + i] = Math.sin(p * freq);
    }
  }
  g.initializer('rope.cos', cosT, [dims.maxPositions, hd / 2]);
  g.initializer('rope.sin', sinT, [dims.maxPositions, hd / 2]);
  const axis1 = g.int64([1]);
  const cos = g.op('Unsqueeze', [g.op('Gather', ['rope.cos', 'position_ids'], { axis: 0 }), axis1]);
  const sin = g.op('Unsqueeze', [g.op('Gather', ['rope.sin', 'position_ids'], { axis: 0 }), axis1]);

  g.initializer('model.embed_tokens.weight', w.embed, [dims.vocabSize, dims.hidden]);
  let x = g.op('Gather', ['model.embed_tokens.weight', 'input_ids'], { axis: 0 });
  w.layers.forEach((lw, l) => {
    const p = `model.layers.${l}`;
    g.initializer(`${p}.input_layernorm.weight`, lw.attnNorm, [dims.hidden]);
    g.initializer(`${p}.self_attn.q_proj.weight`, lw.wq, [dims.hidden, dims.heads * hd]);
    g.initializer(`${p}.self_attn.k_proj.weight`, lw.wk, [dims.hidden, dims.kvHeads * hd]);
    g.initializer(`${p}.self_attn.v_proj.weight`, lw.wv, [dims.hidden, dims.kvHeads * hd]);
    g.initializer(`${p}.self_attn.o_proj.weight`, lw.wo, [dims.heads * hd, dims.hidden]);
    g.initializer(`${p}.post_attention_layernorm.weight`, lw.ffnNorm, [dims.hidden]);
    g.initializer(`${p}.mlp.gate_proj.weight`, lw.w1, [dims.hidden, dims.intermediate]);
    g.initializer(`${p}.mlp.up_proj.weight`, lw.w3, [dims.hidden, dims.intermediate]);
    g.initializer(`${p}.mlp.down_proj.weight`, lw.w2, [dims.intermediate, dims.hidden]);

    const h = rmsNorm(g, x, `${p}.input_layernorm.weight`, w.rmsEps);
    const q = rope(c, toHeads(c, g.op('MatMul', [h, `${p}.self_attn.q_proj.weight`]), dims.heads), cos, sin);
    const k = rope(c, toHeads(c, g.op('MatMul', [h, `${p}.self_attn.k_proj.weight`]), dims.kvHeads), cos, sin);
    const v = toHeads(c, g.op('MatMul', [h, `${p}.self_attn.v_proj.weight`]), dims.kvHeads);
    const attn = attention(c, l, q, k, v);
    x = g.op('Add', [x, g.op('MatMul', [attn, `${p}.self_attn.o_proj.weight`])]);
    const h2 = rmsNorm(g, x, `${p}.post_attention_layernorm.weight`, w.rmsEps);
    const gate = g.op('MatMul', [h2, `${p}.mlp.gate_proj.weight`]);
    const up = g.op('MatMul', [h2, `${p}.mlp.up_proj.weight`]);
    const act = g.op('Mul', [g.op('Mul', [gate, g.op('Sigmoid', [gate])]), up]);
    x = g.op('Add', [x, g.op('MatMul', [act, `${p}.mlp.down_proj.weight`])]);
  });
  g.initializer('model.norm.weight', w.norm, [dims.hidden]);
  g.initializer('lm_head.weight', w.lmHead, [dims.hidden, dims.vocabSize]);
  logitsOut(g, dims, g.op('MatMul', [rmsNorm(g, keepLast(g, dims, x), 'model.norm.weight', w.rmsEps), 'lm_head.weight']));
  return g;
}

function gelu(g: GraphBuilder, x: string): string {
  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
  const cube = g.op('Mul', [g.op('Pow', [x, g.float32([3], [])]), g.float32([0.044715], [])]);
  const inner = g.op('Mul', [g.op('Add', [x, cube]), g.float32([Math.sqrt(2 / Math.PI)], [])]);
  const t = g.op('Add', [g.op('Tanh', [inner]), g.float32([1], [])]);
  return g.op('Mul', [g.op('Mul', [x, t]), g.float32([0.5], [])]);
}

export function buildGpt2Graph(dims: DecoderDims, w: Gpt2Weights): GraphBuilder {
  if (dims.kvHeads !== dims.heads) throw new Error('GPT-2 has as many key/value heads as query heads');
  const g = new GraphBuilder('gpt2_decoder');
  declareIo(g, dims, false);
  const c = buildMask(g, dims);
  const D = dims.hidden;
  const ln = (x: string, gamma: string, beta: string) => g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: floatAttr(w.lnEps) });
  g.initializer('transformer.wte.weight', w.wte, [dims.vocabSize, D]);
  g.initializer('transformer.wpe.weight', w.wpe, [dims.maxPositions, D]);
  const one = g.initializer(g.fresh('one'), BigInt64Array.from([1n]), []);
  const positions = g.op('Unsqueeze', [g.op('Range', [c.pastLen, c.totalLen, one]), g.int64([0])]);
  let x = g.op('Add', [
    g.op('Gather', ['transformer.wte.weight', 'input_ids'], { axis: 0 }),
    g.op('Gather', ['transformer.wpe.weight', positions], { axis: 0 }),
  ]);
  w.layers.forEach((lw, l) => {
    const p = `transformer.h.${l}`;
    g.initializer(`${p}.ln_1.weight`, lw.ln1g, [D]);
    g.initializer(`${p}.ln_1.bias`, lw.ln1b, [D]);
    g.initializer(`${p}.attn.c_attn.weight`, lw.attnW, [D, 3 * D]);
    g.initializer(`${p}.attn.c_attn.bias`, lw.attnB, [3 * D]);
    g.initializer(`${p}.attn.c_proj.weight`, lw.projW, [D, D]);
    g.initializer(`${p}.attn.c_proj.bias`, lw.projB, [D]);
    g.initializer(`${p}.ln_2.weight`, lw.ln2g, [D]);
    g.initializer(`${p}.ln_2.bias`, lw.ln2b, [D]);
    g.initializer(`${p}.mlp.c_fc.weight`, lw.fcW, [D, dims.intermediate]);
    g.initializer(`${p}.mlp.c_fc.bias`, lw.fcB, [dims.intermediate]);
    g.initializer(`${p}.mlp.c_proj.weight`, lw.fcProjW, [dims.intermediate, D]);
    g.initializer(`${p}.mlp.c_proj.bias`, lw.fcProjB, [D]);

    const h = ln(x, `${p}.ln_1.weight`, `${p}.ln_1.bias`);
    const qkv = g.op('Add', [g.op('MatMul', [h, `${p}.attn.c_attn.weight`]), `${p}.attn.c_attn.bias`]);
    const [q, k, v] = [g.fresh('q'), g.fresh('k'), g.fresh('v')];
    g.node('Split', [qkv, g.int64([D, D, D])], [q, k, v], { axis: -1 });
    const attn = attention(c, l, toHeads(c, q, dims.heads), toHeads(c, k, dims.heads), toHeads(c, v, dims.heads));
    x = g.op('Add', [x, g.op('Add', [g.op('MatMul', [attn, `${p}.attn.c_proj.weight`]), `${p}.attn.c_proj.bias`])]);
    const h2 = ln(x, `${p}.ln_2.weight`, `${p}.ln_2.bias`);
    const fc = gelu(g, g.op('Add', [g.op('MatMul', [h2, `${p}.mlp.c_fc.weight`]), `${p}.mlp.c_fc.bias`]));
    x = g.op('Add', [x, g.op('Add', [g.op('MatMul', [fc, `${p}.mlp.c_proj.weight`]), `${p}.mlp.c_proj.bias`])]);
  });
  g.initializer('transformer.ln_f.weight', w.lnfG, [D]);
  g.initializer('transformer.ln_f.bias', w.lnfB, [D]);
  const wteT = new Float32Array(D * dims.vocabSize);
  for (let t = 0; t < dims.vocabSize; t++) for (let d = 0; d < D; d++) wteT[d * dims.vocabSize + t] = w.wte[t * D + d]!;
  g.initializer('lm_head.weight', wteT, [D, dims.vocabSize]);
  logitsOut(g, dims, g.op('MatMul', [ln(keepLast(g, dims, x), 'transformer.ln_f.weight', 'transformer.ln_f.bias'), 'lm_head.weight']));
  return g;
}
