import { fail } from '../errors.ts';

/**
 * Names that reach URLs and the file system: hub repo ids, revisions, file paths inside a repo, installed-model ids.
 * Everything from a catalog, a server response or a person is checked here before it is used.
 */

const repoPart = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;

/** `owner/name` as the hub spells it; `..`, `--` and leading/trailing punctuation are refused (as the hub does). */
export function checkRepoId(repo: string, field = 'repo'): string {
  const parts = repo.split('/');
  const ok = parts.length === 2 && parts.every((p) => repoPart.test(p) && !p.includes('..') && !p.includes('--'));
  if (!ok) {
    fail('bad_input', `"${repo}" is not a Hugging Face repo id.`, {
      field,
      hint: 'Use owner/name, e.g. onnx-community/Qwen2.5-0.5B-Instruct (letters, digits, . _ -), or a catalog id from `longhand models list --catalog`.',
    });
  }
  return repo;
}

export function isRepoId(text: string): boolean {
  try {
    checkRepoId(text);
    return true;
  } catch {
    return false;
  }
}

/** A branch, tag or commit: `main`, `v1.0`, `refs/pr/3`, or 40 hex digits. */
export function checkRevision(revision: string, field = 'revision'): string {
  const ok = /^[A-Za-z0-9._/-]{1,200}$/.test(revision) && !revision.split('/').some((s) => s === '' || s === '.' || s === '..');
  if (!ok) fail('bad_input', `"${revision}" is not a valid revision.`, { field, hint: 'Use a branch (main), a tag, or a commit hash.' });
  return revision;
}

/**
 * A file path inside a repo or a model folder: relative, forward slashes, no `.`/`..` segments, no drive letters,
 * no control characters. `origin` says where the name came from, for the message.
 */
export function checkRepoPath(p: string, origin: string): string {
  const segments = p.split('/');
  const ok =
    p.length > 0 &&
    p.length <= 500 &&
    !p.includes('\\') &&
    !/[\u0000-\u001f]/.test(p) &&
    !/^[A-Za-z]:/.test(p) &&
    segments.every((s) => s !== '' && s !== '.' && s !== '..');
  if (!ok) {
    fail('bad_input', `Refusing the file name ${JSON.stringify(p)} from ${origin}: it is not a plain relative path inside the model folder.`, {
      file: p,
      hint: 'A model file must stay inside its folder (no "..", no absolute paths). The source may be damaged or malicious.',
    });
  }
  return p;
}

/** URL path of a repo file: each segment percent-encoded. */
export function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

const modelId = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** An installed model's id, which is also its folder name under models/. */
export function checkModelId(id: string, field = 'id'): string {
  if (!modelId.test(id) || id.includes('..')) {
    fail('bad_input', `"${id}" is not a valid model id.`, { field, hint: 'Model ids use letters, digits, "." "_" "-" (see `longhand models list`).' });
  }
  return id;
}

/** A folder-safe id derived from free text (a repo id, a folder name). */
export function slugId(text: string): string {
  const slug = text
    .replace(/\//g, '--')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 120);
  return slug || 'model';
}
