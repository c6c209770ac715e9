/** Writes a decoder model folder in the Optimum / transformers.js layout (config, tokenizer, onnx/model.onnx). */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DecoderDims } from './decoder-graph.ts';
import { type GraphBuilder, writeOnnxModel } from './onnx.ts';
import type { TokenizerFiles } from './tokenizer-json.ts';

export type DecoderArch = 'llama' | 'gpt2';

export interface DecoderFolder {
  arch: DecoderArch;
  dims: DecoderDims;
  graph: GraphBuilder;
  tokenizer: TokenizerFiles;
  bosTokenId: number;
  eosTokenId: number;
  ropeTheta?: number;
  normEps?: number;
  /** Write initializers to onnx/model.onnx_data (as large exports do). */
  externalData?: boolean;
  /** The ONNX file name under onnx/ (model.onnx; model_fp16.onnx for a float16-IO model…). */
  onnxFile?: string;
  /** Extra fields merged into config.json. */
  configExtra?: Record<string, unknown>;
}

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export function configJson(f: DecoderFolder): Record<string, unknown> {
  const d = f.dims;
  const common = { vocab_size: d.vocabSize, bos_token_id: f.bosTokenId, eos_token_id: f.eosTokenId, torch_dtype: 'float32', use_cache: true };
  if (f.arch === 'llama') {
    return {
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: d.hidden,
      intermediate_size: d.intermediate,
      num_hidden_layers: d.layers,
      num_attention_heads: d.heads,
      num_key_value_heads: d.kvHeads,
      head_dim: d.hidden / d.heads,
      max_position_embeddings: d.maxPositions,
      rms_norm_eps: f.normEps ?? 1e-5,
      rope_theta: f.ropeTheta ?? 10000,
      hidden_act: 'silu',
      tie_word_embeddings: false,
      ...common,
      ...f.configExtra,
    };
  }
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    n_embd: d.hidden,
    n_layer: d.layers,
    n_head: d.heads,
    n_inner: d.intermediate,
    n_positions: d.maxPositions,
    n_ctx: d.maxPositions,
    layer_norm_epsilon: f.normEps ?? 1e-5,
    activation_function: 'gelu_new',
    ...common,
    ...f.configExtra,
  };
}

export async function writeDecoderFolder(dir: string, f: DecoderFolder): Promise<void> {
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const onnxFile = f.onnxFile ?? 'model.onnx';
  await writeOnnxModel(join(dir, 'onnx', onnxFile), f.graph, {
    opset: 17,
    externalData: f.externalData ? `${onnxFile}_data` : undefined,
  });
  await writeJsonAtomic(join(dir, 'config.json'), configJson(f));
  await writeJsonAtomic(join(dir, 'generation_config.json'), { bos_token_id: f.bosTokenId, eos_token_id: f.eosTokenId });
  await writeJsonAtomic(join(dir, 'tokenizer.json'), f.tokenizer.tokenizerJson);
  await writeJsonAtomic(join(dir, 'tokenizer_config.json'), f.tokenizer.tokenizerConfig);
}
