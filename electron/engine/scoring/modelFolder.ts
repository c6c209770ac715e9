/**
 * Reads a classifier folder in the Hugging Face Optimum layout (config.json, tokenizer.json, onnx/model*.onnx)
 * and decides what kind of model it is. A decoder (a text generator) is rejected here with a clear error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fail } from '../errors.ts';

export type ClassifierKind = 'cross-encoder' | 'bi-encoder';

export interface ModelConfig {
  architectures?: string[];
  model_type?: string;
  id2label?: Record<string, string>;
  max_position_embeddings?: number;
  is_decoder?: boolean;
  [key: string]: unknown;
}

export interface ClassifierFolder {
  dir: string;
  kind: ClassifierKind;
  config: ModelConfig;
  tokenizerJson: object;
  tokenizerConfig: Record<string, unknown>;
  onnxPath: string;
  /** Labels in id order (cross-encoders); `['score']` for a single-logit head; `[]` for bi-encoders. */
  labels: string[];
  maxLength: number;
}

const DECODER_TYPES = new Set(['gpt2', 'gptj', 'gpt_neox', 'llama', 'mistral', 'mixtral', 'qwen2', 'qwen3', 'phi', 'phi3', 'gemma', 'gemma2', 'gemma3', 'opt', 'bloom', 'falcon', 'smollm3', 'olmo', 'stablelm']);
const ONNX_PREFERENCE = ['model.onnx', 'model_quantized.onnx', 'model_int8.onnx', 'model_uint8.onnx', 'model_fp16.onnx', 'model_q4.onnx'];
const WRONG_KIND_HINT =
  'A relevance model must be a cross-encoder (…ForSequenceClassification, e.g. an ms-marco MiniLM reranker) or a sentence-embedding model (e.g. all-MiniLM-L6-v2). Choose one of those for the relevance role.';

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    fail('not_found', `The model folder has no ${what}.`, { file, hint: 'A model folder needs config.json, tokenizer.json and onnx/model.onnx (the Optimum layout).' });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail('bad_input', `${what} is not valid JSON: ${(err as Error).message}`, { file, hint: 'Re-download or rebuild the model.' });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function findOnnx(dir: string): string {
  for (const sub of ['onnx', '.']) {
    const folder = path.join(dir, sub);
    let files: string[];
    try {
      files = fs.readdirSync(folder);
    } catch {
      continue;
    }
    const onnx = files.filter((f) => f.endsWith('.onnx'));
    const pick = ONNX_PREFERENCE.find((f) => onnx.includes(f)) ?? onnx.filter((f) => f.startsWith('model')).sort()[0];
    if (pick) return path.join(folder, pick);
  }
  fail('not_found', 'The model folder has no ONNX model (onnx/model.onnx).', { file: dir, hint: 'Export the model with Optimum (optimum-cli export onnx) or pick a repository that has an onnx/ folder.' });
}

function kindOf(config: ModelConfig, dir: string): ClassifierKind {
  const archs = config.architectures ?? [];
  const decoder =
    config.is_decoder === true ||
    archs.some((a) => /ForCausalLM$|LMHeadModel$|ForConditionalGeneration$/.test(a)) ||
    (config.model_type !== undefined && DECODER_TYPES.has(config.model_type));
  if (decoder) {
    fail('bad_input', `This is a text-generation (decoder) model (${archs[0] ?? config.model_type}), not a relevance classifier.`, {
      file: dir,
      hint: WRONG_KIND_HINT,
    });
  }
  if (archs.some((a) => /ForSequenceClassification$/.test(a))) return 'cross-encoder';
  return 'bi-encoder';
}

export function readClassifierFolder(dir: string): ClassifierFolder {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    fail('not_found', `No model folder at ${dir}.`, { file: dir, hint: 'Give the folder that holds config.json, tokenizer.json and onnx/.' });
  }
  const configRaw = readJson(path.join(dir, 'config.json'), 'config.json');
  if (!isObject(configRaw)) fail('bad_input', 'config.json is not a JSON object.', { file: path.join(dir, 'config.json') });
  const config = configRaw as ModelConfig;
  const kind = kindOf(config, dir);
  const tokenizerJson = readJson(path.join(dir, 'tokenizer.json'), 'tokenizer.json');
  if (!isObject(tokenizerJson) || !isObject(tokenizerJson.model)) {
    fail('bad_input', 'tokenizer.json has no "model" section.', { file: path.join(dir, 'tokenizer.json'), hint: 'Use the tokenizer.json of the same model.' });
  }
  const tcPath = path.join(dir, 'tokenizer_config.json');
  const tokenizerConfig = fs.existsSync(tcPath) ? readJson(tcPath, 'tokenizer_config.json') : {};
  const labels =
    kind === 'cross-encoder'
      ? Object.entries(config.id2label ?? { 0: 'score' })
          .sort((a, b) => Number(a[0]) - Number(b[0]))
          .map(([, v]) => String(v))
      : [];
  const tcMax = isObject(tokenizerConfig) && typeof tokenizerConfig.model_max_length === 'number' ? tokenizerConfig.model_max_length : Infinity;
  const posMax = typeof config.max_position_embeddings === 'number' ? config.max_position_embeddings : 512;
  // RoBERTa-family configs count two reserved positions.
  const maxLength = Math.max(16, Math.min(512, tcMax, config.model_type?.includes('roberta') ? posMax - 2 : posMax));
  return {
    dir,
    kind,
    config,
    tokenizerJson,
    tokenizerConfig: isObject(tokenizerConfig) ? tokenizerConfig : {},
    onnxPath: findOnnx(dir),
    labels: labels.length === 1 ? ['score'] : labels,
    maxLength,
  };
}
