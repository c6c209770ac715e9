import { describe, expect, it } from 'vitest';
import { LonghandError } from '../errors.ts';
import { parseCatalog, loadCatalog } from './catalog.ts';
import { checkModelId, checkRepoId, checkRepoPath, checkRevision, slugId } from './names.ts';
import { selectFiles } from './select-files.ts';

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof LonghandError ? err.apiError.code : 'thrown';
  }
}

describe('names', () => {
  it('accepts hub repo ids and refuses malformed ones', () => {
    for (const ok of ['onnx-community/Qwen2.5-0.5B-Instruct', 'Xenova/all-MiniLM-L6-v2', 'a/b']) expect(code(() => checkRepoId(ok)), ok).toBeNull();
    for (const bad of ['', 'a', 'a/b/c', '../a', 'a/..', 'a/b..c', 'a/b--c', '/a/b', 'a/ b', 'a/b?x=1', 'a/b#x', '-a/b', 'a/b.']) expect(code(() => checkRepoId(bad)), bad).toBe('bad_input');
  });

  it('refuses path traversal and odd paths in file names', () => {
    for (const ok of ['config.json', 'onnx/model_q4.onnx', 'onnx/model.onnx_data_1']) expect(code(() => checkRepoPath(ok, 't')), ok).toBeNull();
    for (const bad of ['', '../x', 'onnx/../../x', '/etc/passwd', 'C:/x', 'a\\b', 'a//b', './a', 'a/', 'a\u0000b']) expect(code(() => checkRepoPath(bad, 't')), JSON.stringify(bad)).toBe('bad_input');
  });

  it('checks revisions and model ids, and derives safe ids', () => {
    expect(code(() => checkRevision('refs/pr/3'))).toBeNull();
    expect(code(() => checkRevision('06633a3e0bcdf1c31bd8ce0a27cb764aff26d6a9'))).toBeNull();
    for (const bad of ['', '..', 'main/../x', 'a b', 'x?y']) expect(code(() => checkRevision(bad)), bad).toBe('bad_input');
    expect(code(() => checkModelId('../x'))).toBe('bad_input');
    expect(slugId('onnx-community/Qwen2.5-0.5B-Instruct-q4')).toBe('onnx-community--Qwen2.5-0.5B-Instruct-q4');
    expect(code(() => checkModelId(slugId('../../etc/..passwd')))).toBeNull();
  });
});

describe('catalog', () => {
  it('the shipped catalog is valid and covers every role with files to fetch', () => {
    const catalog = loadCatalog();
    for (const role of ['generator', 'relevance', 'nli']) expect(catalog.some((e) => e.role === role), role).toBe(true);
    for (const e of catalog) {
      expect(e.files.some((f) => f.path.endsWith('.onnx')), e.id).toBe(true);
      expect(e.files.map((f) => f.path), e.id).toContain('config.json');
      expect(e.files.map((f) => f.path), e.id).toContain('tokenizer.json');
      expect(e.revision === 'main' ? e.notes : 'pinned', e.id).toMatch(/main|pinned/);
    }
  });

  it('refuses a catalog entry whose file escapes the model folder, or a bad repo id', () => {
    const entry = { id: 'x', name: 'x', role: 'generator', repo: 'a/b', revision: 'main', files: [{ path: '../../.bashrc' }], sizeBytes: 1, license: 'mit', minRamGb: 1 };
    expect(code(() => parseCatalog({ version: 1, models: [entry] }, 'test'))).toBe('bad_input');
    expect(code(() => parseCatalog({ version: 1, models: [{ ...entry, files: [], repo: 'a/../b' }] }, 'test'))).toBe('bad_input');
    expect(code(() => parseCatalog({ version: 1, models: [{ ...entry, files: [] }, { ...entry, files: [] }] }, 'test'))).toBe('bad_input');
    expect(code(() => parseCatalog({ version: 2 }, 'test'))).toBe('bad_input');
  });
});

describe('selecting files from a repo listing', () => {
  const tree = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors', 'onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model_q4.onnx', 'onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data'].map((p) => ({ path: p, size: 1 }));
  it('takes config, tokenizer and one variant with its external data', () => {
    expect(selectFiles(tree, 'generator', 'fp16', 'a/b').files.map((f) => f.path).sort()).toEqual(['config.json', 'onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data', 'tokenizer.json', 'tokenizer_config.json']);
    expect(selectFiles(tree, 'generator', undefined, 'a/b').dtype).toBe('q4');
    expect(selectFiles(tree, 'relevance', undefined, 'a/b').dtype).toBe('fp32');
  });
  it('says which variants exist, and refuses a repo without a tokenizer or ONNX', () => {
    expect(code(() => selectFiles(tree, 'generator', 'q8', 'a/b'))).toBe('not_found');
    expect(code(() => selectFiles(tree.filter((f) => !f.path.startsWith('tokenizer')), 'generator', 'q4', 'a/b'))).toBe('bad_input');
    expect(code(() => selectFiles(tree.filter((f) => !f.path.endsWith('.onnx')), 'generator', undefined, 'a/b'))).toBe('bad_input');
  });
});
