/**
 * A bi-encoder made of word vectors, in the Optimum layout the classifier runtime loads (config.json,
 * tokenizer.json, tokenizer_config.json, onnx/model.onnx): a word-level tokenizer, and an ONNX graph that gathers
 * int8 vectors, dequantizes them with a per-word scale that also carries the word's weight (SIF), takes the
 * attention-masked weighted mean and L2-normalizes it into `sentence_embedding`.
 */
import { GraphBuilder } from './onnx.ts';

export interface WordVectorSpec {
  /** Vocabulary, lower-case words; ids 0 and 1 are reserved for [PAD] and [UNK]. */
  words: readonly string[];
  dims: number;
  /** words.length × dims, row-major. */
  vectors: Float32Array;
  /** One weight per word (e.g. SIF a/(a + p(w))). */
  weights: Float32Array;
  /** Extra config.json fields (provenance summary). */
  info?: Record<string, unknown>;
}

export const PAD = '[PAD]';
export const UNK = '[UNK]';

/** Per-row symmetric int8 quantization: row ≈ scale × q, q in [-127, 127]. */
export function quantizeRows(vectors: Float32Array, dims: number): { q: Int8Array; scales: Float32Array } {
  const rows = vectors.length / dims;
  const q = new Int8Array(vectors.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let k = 0; k < dims; k++) max = Math.max(max, Math.abs(vectors[r * dims + k]!));
    const scale = max / 127;
    scales[r] = scale;
    if (scale === 0) continue;
    for (let k = 0; k < dims; k++) q[r * dims + k] = Math.max(-127, Math.min(127, Math.round(vectors[r * dims + k]! / scale)));
  }
  return { q, scales };
}

export function wordVectorGraph(spec: WordVectorSpec): Uint8Array {
  const { words, dims } = spec;
  const rows = words.length + 2;
  const table = new Float32Array(rows * dims);
  table.set(spec.vectors, 2 * dims);
  const { q, scales } = quantizeRows(table, dims);
  const rowScale = new Float32Array(rows);
  for (let i = 0; i < words.length; i++) rowScale[i + 2] = scales[i + 2]! * spec.weights[i]!;

  const g = new GraphBuilder('word_vector_encoder');
  g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  g.initializer('word_vectors_int8', q, [rows, dims]);
  g.initializer('word_scale', rowScale, [rows, 1]);
  const qv = g.op('Gather', ['word_vectors_int8', 'input_ids'], { axis: 0 });
  const v = g.op('Cast', [qv], { to: 1 });
  const s = g.op('Gather', ['word_scale', 'input_ids'], { axis: 0 });
  const mask = g.op('Cast', [g.op('Unsqueeze', ['attention_mask', g.int64([2])])], { to: 1 });
  const w = g.op('Mul', [s, mask]);
  const weighted = g.op('Mul', [v, w]);
  const axis1 = g.int64([1]);
  const sum = g.op('ReduceSum', [weighted, axis1], { keepdims: 0 });
  const total = g.op('Max', [g.op('ReduceSum', [w, axis1], { keepdims: 0 }), g.float32([1e-9])]);
  const mean = g.op('Div', [sum, total]);
  const norm = g.op('Sqrt', [g.op('ReduceSum', [g.op('Mul', [mean, mean]), g.int64([-1])], { keepdims: 1 })]);
  g.node('Div', [mean, g.op('Max', [norm, g.float32([1e-12])])], ['sentence_embedding']);
  g.output('sentence_embedding', 'float32', ['batch_size', dims]);
  return g.toModelBytes({ opset: 17, producer: 'longhand-build-embedded-model' }).model;
}

export function wordLevelTokenizer(words: readonly string[]): { tokenizer: object; tokenizerConfig: object } {
  const vocab: Record<string, number> = { [PAD]: 0, [UNK]: 1 };
  words.forEach((w, i) => (vocab[w] = i + 2));
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(0, PAD), special(1, UNK)],
      normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: true },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: null,
      decoder: null,
      model: { type: 'WordLevel', vocab, unk_token: UNK },
    },
    tokenizerConfig: { tokenizer_class: 'PreTrainedTokenizerFast', unk_token: UNK, pad_token: PAD, model_max_length: 512, do_lower_case: true },
  };
}

const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v, null, 1) + '\n');

/** Every file of the model folder, by relative path, as bytes (deterministic: same spec, same bytes). */
export function wordVectorModelFiles(spec: WordVectorSpec): Map<string, Uint8Array> {
  const { tokenizer, tokenizerConfig } = wordLevelTokenizer(spec.words);
  const config = {
    architectures: ['WordVectorSifEncoder'],
    model_type: 'longhand-word-vectors',
    hidden_size: spec.dims,
    vocab_size: spec.words.length + 2,
    max_position_embeddings: 512,
    pooling: 'sif-weighted-mean, l2-normalized (in graph: output sentence_embedding)',
    ...spec.info,
  };
  return new Map([
    ['config.json', json(config)],
    ['tokenizer.json', new TextEncoder().encode(JSON.stringify(tokenizer) + '\n')],
    ['tokenizer_config.json', json(tokenizerConfig)],
    ['onnx/model.onnx', wordVectorGraph(spec)],
  ]);
}
