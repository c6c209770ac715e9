/**
 * Reads and validates a decoder model folder in the Optimum / transformers.js layout: config.json,
 * generation_config.json (optional), tokenizer files, onnx/model*.onnx. Every failure names the file or limit.
 */
import fs from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import type { Dtype } from '../../contract/contract.ts';
import { fail } from '../errors.ts';

export const ONNX_FILE_BY_DTYPE: Record<Dtype, string> = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
  q4f16: 'model_q4f16.onnx',
};

/** model_type values whose ONNX exports share the decoder layout handled here. */
const LLAMA_FAMILY = new Set(['llama', 'mistral', 'qwen2', 'qwen3', 'smollm3', 'granite', 'olmo', 'olmo2', 'phi3', 'gemma', 'gemma2']);
const GPT2_FAMILY = new Set(['gpt2', 'gpt_neo', 'gptj', 'gpt_bigcode', 'codegen']);

export interface ModelConfig {
  dir: string;
  onnxPath: string;
  modelType: string;
  family: 'llama' | 'gpt2';
  name: string;
  contextLength: number;
  /** Token ids that end a sequence (config.json + generation_config.json). */
  eosIds: number[];
  /** Layer count from config.json, when given (names the KV outputs to keep on a GPU before the session exists). */
  layers?: number;
  /** KV shape from config.json, used when the ONNX file leaves those dimensions symbolic. */
  kvHeads?: number;
  headDim?: number;
}

export interface ModelLayout {
  layers: number;
  kvHeads: number;
  headDim: number;
  kvType: 'float32' | 'float16';
  hasPositionIds: boolean;
}

async function readJsonFile(file: string, required: boolean): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    if (!required) return null;
    fail('not_found', `The model folder has no ${file.split(/[\\/]/).pop()}.`, {
      file,
      hint: 'Choose a folder in the Hugging Face / Optimum layout (config.json, tokenizer.json, onnx/model.onnx).',
    });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    fail('bad_input', `${file} is not valid JSON: ${(err as Error).message}`, { file, hint: 'Download or convert the model again.' });
  }
}

function ids(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number');
  return [];
}

export async function readModelConfig(dir: string, dtype: Dtype = 'fp32'): Promise<ModelConfig> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) fail('not_found', `Model folder not found: ${dir}`, { file: dir, hint: 'Check the path, or install a model first.' });
  const configPath = join(dir, 'config.json');
  const config = (await readJsonFile(configPath, true))!;
  const generation = await readJsonFile(join(dir, 'generation_config.json'), false);
  const modelType = typeof config.model_type === 'string' ? config.model_type : '';
  const family = LLAMA_FAMILY.has(modelType) ? 'llama' : GPT2_FAMILY.has(modelType) ? 'gpt2' : null;
  if (!family) {
    fail('bad_input', `Unknown architecture "${modelType || '(none)'}" in config.json (model_type).`, {
      file: configPath,
      field: 'model_type',
      hint: `Supported: ${[...LLAMA_FAMILY, ...GPT2_FAMILY].join(', ')}.`,
    });
  }
  const ctx = [config.max_position_embeddings, config.n_positions, config.n_ctx].find((v): v is number => typeof v === 'number' && v > 0);
  if (!ctx) fail('bad_input', 'config.json does not give the context length (max_position_embeddings or n_positions).', { file: configPath });
  const onnxName = ONNX_FILE_BY_DTYPE[dtype];
  const onnxPath = join(dir, 'onnx', onnxName);
  if (!fs.existsSync(onnxPath)) {
    const present = fs.existsSync(join(dir, 'onnx')) ? fs.readdirSync(join(dir, 'onnx')).filter((f) => f.endsWith('.onnx')) : [];
    const dtypes = Object.entries(ONNX_FILE_BY_DTYPE).filter(([, f]) => present.includes(f)).map(([d]) => d);
    fail('not_found', `The model folder has no onnx/${onnxName} (dtype ${dtype}).`, {
      file: onnxPath,
      hint: dtypes.length ? `Available dtypes here: ${dtypes.join(', ')}.` : 'The folder has no onnx/ model files; download or convert the model again.',
    });
  }
  const eosIds = [...new Set([...ids(config.eos_token_id), ...ids(generation?.eos_token_id)])];
  const name = typeof config._name_or_path === 'string' && config._name_or_path ? config._name_or_path : dir.split(/[\\/]/).filter(Boolean).pop()!;
  const layers = [config.num_hidden_layers, config.n_layer].find((v): v is number => typeof v === 'number' && v > 0);
  const num = (...vs: unknown[]) => vs.find((v): v is number => typeof v === 'number' && v > 0);
  const heads = num(config.num_attention_heads, config.n_head);
  const kvHeads = num(config.num_key_value_heads, heads);
  const hidden = num(config.hidden_size, config.n_embd);
  const headDim = num(config.head_dim, hidden && heads ? hidden / heads : undefined);
  return { dir, onnxPath, modelType, family, name, contextLength: ctx, eosIds, layers, kvHeads, headDim };
}

/** Quick check before handing a file to ORT: an ONNX ModelProto starts with field 1 (ir_version, varint). */
export async function assertLooksLikeOnnx(file: string): Promise<void> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    if (size < 16 || head[0] !== 0x08) {
      fail('bad_input', `${file} is not an ONNX model (${size} bytes; it does not start like one).`, { file, hint: 'Download or convert the model again.' });
    }
  } finally {
    await fh.close();
  }
}

/** Checks the session's inputs/outputs against the decoder layout and reads the KV shapes. */
export function readLayout(session: ort.InferenceSession, file: string, config?: Pick<ModelConfig, 'kvHeads' | 'headDim'>): ModelLayout {
  const inputs = session.inputNames;
  const outputs = session.outputNames;
  const missing: string[] = [];
  for (const n of ['input_ids', 'attention_mask', 'past_key_values.0.key', 'past_key_values.0.value']) if (!inputs.includes(n)) missing.push(`input ${n}`);
  for (const n of ['logits', 'present.0.key', 'present.0.value']) if (!outputs.includes(n)) missing.push(`output ${n}`);
  const layers = inputs.filter((n) => /^past_key_values\.\d+\.key$/.test(n)).length;
  for (let l = 0; l < layers; l++) if (!outputs.includes(`present.${l}.key`) || !outputs.includes(`present.${l}.value`)) missing.push(`output present.${l}.key/value`);
  const known = new Set(['input_ids', 'attention_mask', 'position_ids', 'num_logits_to_keep', 'logits_to_keep', 'use_cache_branch']);
  const unknown = inputs.filter((n) => !known.has(n) && !/^past_key_values\.\d+\.(key|value)$/.test(n));
  if (missing.length || unknown.length) {
    fail('bad_input', `${file} does not have the decoder-with-past layout: ${[...missing.map((m) => `missing ${m}`), ...unknown.map((u) => `unexpected input ${u}`)].join('; ')}.`, {
      file,
      hint: 'Use an Optimum/transformers.js text-generation export with KV cache (inputs input_ids, attention_mask, past_key_values.N.key/value; outputs logits, present.N.key/value).',
    });
  }
  const meta = session.inputMetadata.find((m) => m.name === 'past_key_values.0.key');
  const shape = meta && meta.isTensor ? meta.shape : [];
  const kvHeads = typeof shape[1] === 'number' ? shape[1] : config?.kvHeads;
  const headDim = typeof shape[3] === 'number' ? shape[3] : config?.headDim;
  if (typeof kvHeads !== 'number' || typeof headDim !== 'number') {
    fail('bad_input', `${file}: past_key_values.0.key must have fixed kv-heads and head-dim dimensions [batch, heads, past, head_dim], or config.json must give num_key_value_heads and head_dim.`, { file });
  }
  const type = meta && meta.isTensor ? meta.type : 'float32';
  if (type !== 'float32' && type !== 'float16') fail('bad_input', `${file}: KV cache type ${type} is not supported (float32 or float16).`, { file });
  return { layers, kvHeads, headDim, kvType: type, hasPositionIds: inputs.includes('position_ids') };
}
