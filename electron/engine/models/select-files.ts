import type { Dtype, ModelRole } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { TreeFile } from './hub.ts';

/** transformers.js' file-name suffix for each dtype variant of an ONNX export. */
export const dtypeSuffix: Record<Dtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', q4: '_q4', q4f16: '_q4f16' };

/** What a role gets when no dtype is asked for, in order of preference (CPU-friendly first). */
const preferred: Record<ModelRole, Dtype[]> = {
  generator: ['q4', 'q8', 'q4f16', 'fp16', 'fp32'],
  relevance: ['q8', 'fp32', 'fp16'],
  nli: ['q8', 'fp32', 'fp16'],
};

const configFiles = ['config.json', 'generation_config.json'];
const tokenizerJsonFiles = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'added_tokens.json', 'chat_template.jinja', 'chat_template.json'];
const legacyTokenizerFiles = ['vocab.txt', 'vocab.json', 'merges.txt', 'spm.model', 'tokenizer.model', 'sentencepiece.bpe.model'];

export interface Selection {
  files: TreeFile[];
  dtype: Dtype;
  onnx: string;
}

/** The ONNX graph for a dtype in a listing: `onnx/model{suffix}.onnx` (Optimum/transformers.js layout) or at the root. */
export function onnxFor(paths: Set<string>, dtype: Dtype): string | undefined {
  const s = dtypeSuffix[dtype];
  return [`onnx/model${s}.onnx`, `model${s}.onnx`, `onnx/decoder_model_merged${s}.onnx`, `decoder_model_merged${s}.onnx`].find((p) => paths.has(p));
}

export function availableDtypes(tree: TreeFile[]): Dtype[] {
  const paths = new Set(tree.map((f) => f.path));
  return (Object.keys(dtypeSuffix) as Dtype[]).filter((d) => onnxFor(paths, d) !== undefined);
}

/**
 * From a repo listing, the files a role needs: config, tokenizer, and one ONNX variant with its external data
 * (`model.onnx_data`, `model.onnx_data_1`, `model.onnx.data`…). Nothing else (no safetensors, no other variants).
 */
export function selectFiles(tree: TreeFile[], role: ModelRole, dtype: Dtype | undefined, repo: string): Selection {
  const paths = new Set(tree.map((f) => f.path));
  const have = availableDtypes(tree);
  if (have.length === 0) {
    fail('bad_input', `${repo} has no ONNX model (looked for onnx/model*.onnx and model*.onnx).`, {
      field: 'idOrRepo',
      hint: 'Longhand runs ONNX exports; look for an onnx-community or Xenova version of this model on the hub.',
    });
  }
  const chosen = dtype ?? preferred[role].find((d) => have.includes(d)) ?? have[0]!;
  const onnx = onnxFor(paths, chosen);
  if (!onnx) {
    fail('not_found', `${repo} has no ${chosen} variant.`, { field: 'dtype', hint: `Available: ${have.join(', ')} (use --dtype).` });
  }
  if (!paths.has('config.json')) fail('bad_input', `${repo} has no config.json.`, { file: 'config.json', hint: 'This does not look like a transformers/Optimum model repo.' });
  const tokenizer = paths.has('tokenizer.json') ? tokenizerJsonFiles : legacyTokenizerFiles.some((f) => paths.has(f)) ? [...tokenizerJsonFiles, ...legacyTokenizerFiles] : null;
  if (!tokenizer) fail('bad_input', `${repo} has no tokenizer (tokenizer.json, vocab.txt, vocab.json, spm.model…).`, { hint: 'Choose a repo that ships its tokenizer next to the ONNX files.' });
  const wanted = new Set([...configFiles, ...tokenizer, onnx]);
  const files = tree.filter((f) => wanted.has(f.path) || f.path.startsWith(`${onnx}_data`) || f.path.startsWith(`${onnx}.data`));
  return { files, dtype: chosen, onnx };
}

/** The dtype a file name says it is, for imported folders. */
export function dtypeOfFile(name: string): Dtype | undefined {
  const base = name.replace(/^.*\//, '').replace(/\.onnx$/, '');
  for (const [d, s] of Object.entries(dtypeSuffix) as Array<[Dtype, string]>) if (s && base.endsWith(s)) return d;
  return base === 'model' || base === 'decoder_model_merged' ? 'fp32' : undefined;
}
