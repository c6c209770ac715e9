/**
 * Builds BERT/MiniLM-shaped encoder folders in the Optimum layout, with random (seeded) weights, for tests and
 * benchmarks of the classifier runtime:
 *   - a cross-encoder (BertForSequenceClassification: pooler on [CLS] → `logits` [batch, labels]);
 *   - a bi-encoder (BertModel: `last_hidden_state` [batch, seq, hidden], pooled by the runtime).
 * A WordPiece tokenizer.json with BERT's [CLS] A [SEP] B [SEP] template comes with it.
 *
 *   tsx models/builder/classifier.ts --kind cross-encoder --size minilm --out DIR
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { GraphBuilder, floatAttr, writeOnnxModel } from './onnx.ts';
import { seededRandom } from '../../electron/engine/inference/sampler.ts';

export type EncoderKind = 'cross-encoder' | 'bi-encoder';

export interface EncoderDims {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
  maxPositions: number;
}

export const ENCODER_SIZES = {
  tiny: { layers: 2, hidden: 32, heads: 4, intermediate: 64, vocabSize: 600, maxPositions: 128 },
  /** The shapes of all-MiniLM-L6-v2 / ms-marco-MiniLM-L-6-v2. */
  minilm: { layers: 6, hidden: 384, heads: 12, intermediate: 1536, vocabSize: 30522, maxPositions: 512 },
} as const satisfies Record<string, EncoderDims>;

export interface EncoderOptions {
  kind: EncoderKind;
  out: string;
  dims?: EncoderDims;
  /** Cross-encoders: label names in id order (default one score logit, like ms-marco rerankers). */
  labels?: string[];
  seed?: number;
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = (
  'the a an and or but of to in on at by for with from as is was were be been are it he she they we you i his her their ' +
  'this that these those there here not no yes all some one two three said went came saw made took found day night time ' +
  'man woman child boy girl king queen ship sea storm lamp letter house door room city road river tree farm apple ' +
  'bread baker clock thief map dust power life ice water fire book library flood roof boat bees honey cost lane report'
).split(' ');

/** A WordPiece vocabulary: specials, single characters and ##characters, common words, then filler to `size`. */
export function wordPieceVocab(size: number): string[] {
  const chars = [...'abcdefghijklmnopqrstuvwxyz0123456789', ...".,;:!?'\"()-"];
  const vocab = [...SPECIALS, ...chars, ...chars.filter((c) => /[a-z0-9]/.test(c)).map((c) => `##${c}`), ...WORDS];
  const seen = new Set(vocab);
  const out = vocab.filter((w, i) => vocab.indexOf(w) === i);
  for (let i = 0; out.length < size; i++) {
    const filler = `[unused${i}]`;
    if (!seen.has(filler)) out.push(filler);
  }
  return out.slice(0, Math.max(size, out.length));
}

export function bertTokenizerJson(vocab: readonly string[]): { tokenizer: object; tokenizerConfig: object } {
  const ids = Object.fromEntries(vocab.map((w, i) => [w, i]));
  const special = (content: string) => ({ id: ids[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tok = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id: 'A' | 'B', typeId: number) => ({ Sequence: { id, type_id: typeId } });
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: SPECIALS.map(special),
      normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'TemplateProcessing',
        single: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0)],
        pair: [tok('[CLS]', 0), seq('A', 0), tok('[SEP]', 0), seq('B', 1), tok('[SEP]', 1)],
        special_tokens: {
          '[CLS]': { id: '[CLS]', ids: [ids['[CLS]']], tokens: ['[CLS]'] },
          '[SEP]': { id: '[SEP]', ids: [ids['[SEP]']], tokens: ['[SEP]'] },
        },
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
    },
    tokenizerConfig: {
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      unk_token: '[UNK]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      cls_token: '[CLS]',
      mask_token: '[MASK]',
      model_max_length: 512,
    },
  };
}

function normalSource(seed: number): (n: number, std: number) => Float32Array {
  const uniform = seededRandom(seed);
  return (n, std) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (uniform() + uniform() + uniform() - 1.5) * 2 * std;
    return out;
  };
}

/** The BERT encoder graph; returns the name of the final hidden states [batch, seq, hidden]. */
function encoder(g: GraphBuilder, d: EncoderDims, rand: (n: number, std: number) => Float32Array): string {
  const H = d.hidden;
  const dh = H / d.heads;
  const ones = (n: number) => new Float32Array(n).fill(1);
  const zeros = (n: number) => new Float32Array(n);
  const weight = (name: string, rows: number, cols: number) => g.initializer(name, rand(rows * cols, 0.05), [rows, cols]);
  const bias = (name: string, n: number) => g.initializer(name, rand(n, 0.02), [n]);
  const layerNorm = (x: string, prefix: string) =>
    g.op('LayerNormalization', [x, g.initializer(`${prefix}.weight`, ones(H), [H]), g.initializer(`${prefix}.bias`, zeros(H), [H])], { axis: -1, epsilon: floatAttr(1e-12) });
  const linear = (x: string, prefix: string, inDim: number, outDim: number) =>
    g.op('Add', [g.op('MatMul', [x, weight(`${prefix}.weight`, inDim, outDim)]), bias(`${prefix}.bias`, outDim)]);

  g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  g.input('token_type_ids', 'int64', ['batch_size', 'sequence_length']);
  const seqLen = g.op('Gather', [g.op('Shape', ['input_ids']), g.int64([1], [])], { axis: 0 });
  const positions = g.op('Range', [g.int64([0], []), seqLen, g.int64([1], [])]);
  const words = g.op('Gather', [g.initializer('embeddings.word_embeddings.weight', rand(d.vocabSize * H, 0.5), [d.vocabSize, H]), 'input_ids'], { axis: 0 });
  const pos = g.op('Gather', [g.initializer('embeddings.position_embeddings.weight', rand(d.maxPositions * H, 0.1), [d.maxPositions, H]), positions], { axis: 0 });
  const types = g.op('Gather', [g.initializer('embeddings.token_type_embeddings.weight', rand(2 * H, 0.1), [2, H]), 'token_type_ids'], { axis: 0 });
  let x = layerNorm(g.op('Add', [g.op('Add', [words, pos]), types]), 'embeddings.LayerNorm');

  // Additive mask: 0 where attended, -10000 at padding; [batch, 1, 1, seq].
  const maskF = g.op('Cast', ['attention_mask'], { to: 1 });
  const maskBias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.float32([1], []), maskF]), g.float32([-10000], [])]), g.int64([1, 2])]);
  const heads = g.int64([0, 0, d.heads, dh]);
  const merged = g.int64([0, 0, H]);
  const scale = g.float32([1 / Math.sqrt(dh)], []);

  for (let l = 0; l < d.layers; l++) {
    const p = `encoder.layer.${l}`;
    const split = (name: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [linear(x, `${p}.attention.self.${name}`, H, H), heads])], { perm });
    const q = split('query', [0, 2, 1, 3]);
    const k = split('key', [0, 2, 3, 1]);
    const v = split('value', [0, 2, 1, 3]);
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, k]), scale]), maskBias]);
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [g.op('Softmax', [scores], { axis: -1 }), v])], { perm: [0, 2, 1, 3] }), merged]);
    x = layerNorm(g.op('Add', [x, linear(ctx, `${p}.attention.output.dense`, H, H)]), `${p}.attention.output.LayerNorm`);
    const up = linear(x, `${p}.intermediate.dense`, H, d.intermediate);
    const gelu = g.op('Mul', [g.op('Mul', [up, g.float32([0.5], [])]), g.op('Add', [g.float32([1], []), g.op('Erf', [g.op('Mul', [up, g.float32([Math.SQRT1_2], [])])])])]);
    x = layerNorm(g.op('Add', [x, linear(gelu, `${p}.output.dense`, d.intermediate, H)]), `${p}.output.LayerNorm`);
  }
  return x;
}

export function encoderGraph(kind: EncoderKind, d: EncoderDims, labels: number, seed: number): GraphBuilder {
  const g = new GraphBuilder(kind === 'cross-encoder' ? 'bert_sequence_classifier' : 'bert_encoder');
  const rand = normalSource(seed);
  const hidden = encoder(g, d, rand);
  if (kind === 'bi-encoder') {
    g.node('Identity', [hidden], ['last_hidden_state']);
    g.output('last_hidden_state', 'float32', ['batch_size', 'sequence_length', d.hidden]);
    return g;
  }
  const cls = g.op('Gather', [hidden, g.int64([0], [])], { axis: 1 });
  const pooled = g.op('Tanh', [g.op('Add', [g.op('MatMul', [cls, g.initializer('pooler.dense.weight', rand(d.hidden * d.hidden, 0.05), [d.hidden, d.hidden])]), g.initializer('pooler.dense.bias', rand(d.hidden, 0.02), [d.hidden])])]);
  g.node('Add', [g.op('MatMul', [pooled, g.initializer('classifier.weight', rand(d.hidden * labels, 0.5), [d.hidden, labels])]), g.initializer('classifier.bias', rand(labels, 0.1), [labels])], ['logits']);
  g.output('logits', 'float32', ['batch_size', labels]);
  return g;
}

/** Writes config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx into `out`. Same options → same bytes. */
export async function buildEncoderFolder(o: EncoderOptions): Promise<void> {
  const d = o.dims ?? ENCODER_SIZES.tiny;
  const labels = o.kind === 'cross-encoder' ? (o.labels ?? ['LABEL_0']) : [];
  const vocab = wordPieceVocab(d.vocabSize);
  const { tokenizer, tokenizerConfig } = bertTokenizerJson(vocab);
  const config: Record<string, unknown> = {
    architectures: [o.kind === 'cross-encoder' ? 'BertForSequenceClassification' : 'BertModel'],
    model_type: 'bert',
    hidden_size: d.hidden,
    num_hidden_layers: d.layers,
    num_attention_heads: d.heads,
    intermediate_size: d.intermediate,
    vocab_size: vocab.length,
    max_position_embeddings: d.maxPositions,
    type_vocab_size: 2,
    hidden_act: 'gelu',
    layer_norm_eps: 1e-12,
  };
  if (o.kind === 'cross-encoder') {
    config.id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
    config.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
  }
  await fs.mkdir(o.out, { recursive: true });
  await fs.writeFile(path.join(o.out, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  await fs.writeFile(path.join(o.out, 'tokenizer.json'), JSON.stringify(tokenizer) + '\n');
  await fs.writeFile(path.join(o.out, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2) + '\n');
  await writeOnnxModel(path.join(o.out, 'onnx', 'model.onnx'), encoderGraph(o.kind, { ...d, vocabSize: vocab.length }, Math.max(1, labels.length), o.seed ?? 1), { opset: 17 });
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const { values } = parseArgs({ options: { kind: { type: 'string', default: 'cross-encoder' }, size: { type: 'string', default: 'tiny' }, out: { type: 'string' }, seed: { type: 'string' } } });
  if (!values.out || !['cross-encoder', 'bi-encoder'].includes(values.kind!) || !(values.size! in ENCODER_SIZES)) {
    console.error('usage: tsx models/builder/classifier.ts --kind cross-encoder|bi-encoder --size tiny|minilm --out DIR [--seed N]');
    process.exit(2);
  }
  await buildEncoderFolder({ kind: values.kind as EncoderKind, out: values.out, dims: ENCODER_SIZES[values.size as keyof typeof ENCODER_SIZES], seed: Number(values.seed ?? 1) });
  console.log(`wrote ${values.kind} (${values.size}) to ${values.out}`);
}
