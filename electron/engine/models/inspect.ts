import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Dtype, InstalledModel, ModelRole } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { dtypeOfFile } from './select-files.ts';

export type ModelKind = NonNullable<InstalledModel['kind']>;

export interface Inspection {
  dir: string;
  kind: ModelKind;
  onnx: string;
  dtype?: Dtype;
  inputs: string[];
  outputs: string[];
  config: Record<string, unknown>;
}

const tokenizerFiles = ['tokenizer.json', 'vocab.txt', 'vocab.json', 'spm.model', 'tokenizer.model', 'sentencepiece.bpe.model'];
const embeddingOutputs = ['sentence_embedding', 'last_hidden_state', 'token_embeddings', 'embeddings'];

/**
 * Validates a model folder: the Optimum layout, config.json, a tokenizer, and an ONNX graph that onnxruntime loads,
 * whose inputs/outputs say what it is (decoder with a KV cache, classifier with logits, embedder).
 */
export async function inspectModelFolder(dir: string, preferDtype?: Dtype): Promise<Inspection> {
  const abs = path.resolve(dir);
  const stat = await fsp.stat(abs).catch(() => null);
  if (!stat) fail('not_found', `There is no folder ${abs}.`, { file: abs, hint: 'Choose the folder that holds config.json and the onnx/ files.' });
  if (!stat.isDirectory()) fail('bad_input', `${abs} is a file, not a folder.`, { file: abs, hint: 'Choose the folder that holds config.json and the onnx/ files.' });

  const configPath = path.join(abs, 'config.json');
  let config: unknown;
  try {
    config = JSON.parse(await fsp.readFile(configPath, 'utf8'));
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    fail('bad_input', missing ? `The folder has no config.json.` : `config.json is not valid JSON: ${(err as Error).message}`, {
      file: configPath,
      hint: 'A model folder in the Hugging Face layout has config.json, the tokenizer files and onnx/model*.onnx.',
    });
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) fail('bad_input', 'config.json is not a JSON object.', { file: configPath });

  if (!tokenizerFiles.some((f) => fs.existsSync(path.join(abs, f)))) {
    fail('bad_input', `The folder has no tokenizer (looked for ${tokenizerFiles.join(', ')}).`, {
      file: abs,
      hint: 'Copy the tokenizer files from the model\'s repo (tokenizer.json and tokenizer_config.json) next to config.json.',
    });
  }

  const onnx = pickOnnx(abs, preferDtype);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(onnx);
  } catch (err) {
    fail('bad_input', `onnxruntime cannot load ${path.relative(abs, onnx)}: ${(err as Error).message.split('\n')[0]}`, {
      file: onnx,
      hint: 'The file may be truncated, need its external data (.onnx_data) beside it, or use operators this onnxruntime lacks.',
    });
  }
  const inputs = [...session.inputNames];
  const outputs = [...session.outputNames];
  await session.release();

  let kind: ModelKind;
  if (inputs.some((n) => n.startsWith('past_key_values')) || outputs.some((n) => n.startsWith('present'))) kind = 'decoder';
  else if (outputs.includes('logits')) kind = 'classifier';
  else if (outputs.some((n) => embeddingOutputs.includes(n))) kind = 'embedder';
  else {
    fail('bad_input', `The ONNX graph's outputs (${outputs.join(', ')}) are not those of a generator, a classifier or an embedder.`, {
      file: onnx,
      hint: 'Export the model with Optimum (optimum-cli export onnx) for text-generation-with-past, text-classification or feature-extraction.',
    });
  }
  if (!inputs.includes('input_ids')) fail('bad_input', `The ONNX graph has no input_ids input (it has ${inputs.join(', ')}).`, { file: onnx });
  return { dir: abs, kind, onnx, dtype: dtypeOfFile(onnx), inputs, outputs, config: config as Record<string, unknown> };
}

function pickOnnx(dir: string, prefer?: Dtype): string {
  const found: string[] = [];
  for (const sub of ['onnx', '.']) {
    const folder = path.join(dir, sub);
    let names: string[] = [];
    try {
      names = fs.readdirSync(folder);
    } catch {
      continue;
    }
    for (const n of names.sort()) if (n.endsWith('.onnx')) found.push(path.join(folder, n));
  }
  if (found.length === 0) {
    fail('bad_input', `The folder has no ONNX model (looked in onnx/ and at the top).`, {
      file: dir,
      hint: 'Longhand runs ONNX exports: use an onnx-community/Xenova repo, or export with optimum-cli export onnx.',
    });
  }
  const byDtype = prefer ? found.find((f) => dtypeOfFile(f) === prefer) : undefined;
  if (prefer && !byDtype) fail('not_found', `The folder has no ${prefer} ONNX variant.`, { file: dir, hint: `It has: ${found.map((f) => path.basename(f)).join(', ')}.` });
  const order = ['model.onnx', 'model_quantized.onnx', 'model_q4.onnx', 'model_fp16.onnx', 'decoder_model_merged.onnx'];
  return byDtype ?? found.find((f) => order.includes(path.basename(f))) ?? found[0]!;
}

/** Whether an inspected model can serve a role; throws a clear error when not. */
export function checkRoleFit(ins: Inspection, role: ModelRole): void {
  const what = { decoder: 'a text generator (decoder)', classifier: 'a classifier (cross-encoder)', embedder: 'a sentence embedder' }[ins.kind];
  if (role === 'generator' && ins.kind !== 'decoder') {
    fail('bad_input', `This model is ${what}; the generator role needs a decoder with a KV cache (past_key_values inputs).`, {
      field: 'role',
      hint: 'Import it as relevance or nli, or pick a text-generation export (onnx-community …-Instruct).',
    });
  }
  if (role === 'relevance' && ins.kind === 'decoder') {
    fail('bad_input', `This model is ${what}; the relevance role needs a cross-encoder or a sentence embedder.`, { field: 'role', hint: 'Import it as the generator instead.' });
  }
  if (role === 'nli') {
    if (ins.kind !== 'classifier') fail('bad_input', `This model is ${what}; the nli role needs a sequence classifier with entailment/contradiction labels.`, { field: 'role' });
    const labels = Object.values((ins.config.id2label as Record<string, string> | undefined) ?? {}).map((l) => String(l).toLowerCase());
    if (!labels.some((l) => l.startsWith('contradict'))) {
      fail('bad_input', `This classifier's labels (${labels.join(', ') || 'none'}) have no "contradiction" label, so it cannot serve as NLI.`, {
        field: 'role',
        hint: 'Choose an NLI cross-encoder (e.g. Xenova/nli-deberta-v3-xsmall), or import this one as relevance.',
      });
    }
  }
}
