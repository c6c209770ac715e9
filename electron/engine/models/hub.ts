import { z } from 'zod';
import { fail } from '../errors.ts';
import { checkRepoPath, checkRevision, encodePath } from './names.ts';

/** Where and how to reach a hub: the endpoint (HF_ENDPOINT honoured) and an optional token (HF_TOKEN). */
export interface HubOptions {
  endpoint: string;
  token?: string;
}

export const defaultEndpoint = 'https://huggingface.co';

export function hubOptions(endpoint?: string, env: NodeJS.ProcessEnv = process.env): HubOptions {
  const raw = endpoint ?? env.HF_ENDPOINT ?? defaultEndpoint;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail('bad_input', `The hub endpoint "${raw}" is not a URL.`, { field: 'endpoint', hint: 'Use e.g. https://huggingface.co or a mirror such as https://hf-mirror.com.' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('bad_input', `The hub endpoint must be http(s), not ${url.protocol}`, { field: 'endpoint' });
  const token = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined;
  return { endpoint: url.href.replace(/\/+$/, ''), token };
}

export function resolveUrl(hub: HubOptions, repo: string, revision: string, path: string): string {
  return `${hub.endpoint}/${repo}/resolve/${encodeURIComponent(checkRevision(revision))}/${encodePath(path)}`;
}

export interface TreeFile {
  path: string;
  size: number;
  /** The LFS sha256 (large files only); small files carry a git sha1 we do not verify against. */
  sha256?: string;
}

const TreeEntry = z.object({
  type: z.string(),
  path: z.string(),
  size: z.number().int().nonnegative().optional(),
  lfs: z.object({ oid: z.string(), size: z.number().int().nonnegative() }).partial().optional(),
});

/**
 * Lists a repo's files at a revision (`/api/models/{repo}/tree/{rev}?recursive=true`), following the hub's
 * pagination (Link: rel="next"). Every path is checked: a server answer cannot make us write outside the model folder.
 */
export async function listTree(hub: HubOptions, repo: string, revision: string, signal?: AbortSignal): Promise<TreeFile[]> {
  let url: string | null = `${hub.endpoint}/api/models/${repo}/tree/${encodeURIComponent(checkRevision(revision))}?recursive=true`;
  const out: TreeFile[] = [];
  for (let page = 0; url && page < 100; page++) {
    const res = await hubFetch(url, hub, { signal });
    if (res.status === 404 || res.status === 401) {
      await res.body?.cancel();
      fail('not_found', `The hub has no repo "${repo}" at revision "${revision}" (HTTP ${res.status}).`, {
        field: 'idOrRepo',
        hint: res.status === 401 && !hub.token ? 'If the repo is private or gated, set HF_TOKEN.' : 'Check the repo id and the revision on the hub.',
      });
    }
    if (!res.ok) {
      await res.body?.cancel();
      fail('network', `Listing ${repo}@${revision} failed: HTTP ${res.status} from ${new URL(url).host}.`, { hint: 'Try again later, or another endpoint (--endpoint / HF_ENDPOINT).' });
    }
    const parsed = z.array(TreeEntry).safeParse(await res.json().catch(() => null));
    if (!parsed.success) fail('network', `The hub's file listing for ${repo} is not what was expected.`, { hint: 'Is the endpoint a Hugging Face hub (or a compatible mirror)?' });
    for (const e of parsed.data) {
      if (e.type !== 'file') continue;
      const sha = e.lfs?.oid;
      out.push({
        path: checkRepoPath(e.path, `the hub's file listing of ${repo}`),
        size: e.lfs?.size ?? e.size ?? 0,
        sha256: sha && /^[0-9a-f]{64}$/.test(sha) ? sha : undefined,
      });
    }
    url = nextLink(res.headers.get('link'), url);
  }
  return out;
}

function nextLink(link: string | null, base: string): string | null {
  const m = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  return m?.[1] ? new URL(m[1], base).href : null;
}

/** A fetch that adds the token for the hub's own host (never for a redirect target on another host). */
export function hubFetch(url: string, hub: HubOptions, init: { headers?: Record<string, string>; signal?: AbortSignal; redirect?: 'follow' | 'manual' } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'User-Agent': 'longhand', ...init.headers };
  if (hub.token && new URL(url).origin === new URL(hub.endpoint).origin) headers.Authorization = `Bearer ${hub.token}`;
  return fetch(url, { headers, signal: init.signal, redirect: init.redirect ?? 'follow' }).catch((err: unknown) => {
    if (init.signal?.aborted) throw err;
    fail('network', `Cannot reach ${new URL(url).host}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`, {
      hint: 'Check the network connection, or set --endpoint / HF_ENDPOINT to a reachable mirror.',
    });
  });
}

export interface OpenedFile {
  res: Response;
  /** The final URL (after redirects), which range requests go to on resume. */
  url: string;
  /** sha256 the hub announced for an LFS file (X-Linked-Etag), and its size (X-Linked-Size). */
  linkedSha256?: string;
  linkedSize?: number;
}

/** GETs a file, following redirects by hand so the hub's X-Linked-* headers on the 302 are seen. */
export async function openFile(url: string, hub: HubOptions, headers: Record<string, string>, signal?: AbortSignal): Promise<OpenedFile> {
  let linkedSha256: string | undefined;
  let linkedSize: number | undefined;
  for (let hop = 0; hop < 10; hop++) {
    const res = await hubFetch(url, hub, { headers, signal, redirect: 'manual' });
    const linked = res.headers.get('x-linked-etag')?.replace(/^W\//, '').replace(/"/g, '');
    if (linked && /^[0-9a-f]{64}$/.test(linked)) linkedSha256 ??= linked;
    const size = Number(res.headers.get('x-linked-size'));
    if (Number.isSafeInteger(size) && size >= 0 && res.headers.has('x-linked-size')) linkedSize ??= size;
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url).href;
      continue;
    }
    return { res, url, linkedSha256, linkedSize };
  }
  fail('network', `Too many redirects fetching ${url}.`);
}
