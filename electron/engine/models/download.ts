import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { fail, LonghandError } from '../errors.ts';
import { openFile, type HubOptions } from './hub.ts';

export interface FileDownload {
  /** For messages: the file's path in the repo. */
  name: string;
  url: string;
  /** Where the verified file ends up; the bytes go to `${dest}.part` first (with `${dest}.part.json` for resuming). */
  dest: string;
  size?: number;
  sha256?: string;
}

export interface DownloadOptions {
  hub: HubOptions;
  signal?: AbortSignal;
  /** Called with the bytes of this file on disk so far. */
  onBytes?: (bytes: number, total: number | undefined) => void;
  /** Automatic resumes after a cut connection within one call (default 3). */
  retries?: number;
  /** A connection that sends nothing for this long counts as cut (default 60 s). */
  idleTimeoutMs?: number;
}

export interface Downloaded {
  size: number;
  sha256: string;
  /** Bytes this call received over the network (less than `size` when it resumed). */
  received: number;
  resumedFrom: number;
}

interface PartMeta {
  url: string;
  etag: string;
}

/**
 * Downloads one file: streamed to `dest.part`, resumed with Range/If-Range after a cut (now or in a later call),
 * verified by size and sha256 (from the caller, else the hub's X-Linked-Etag), then renamed to `dest`.
 * A failed verification deletes the part; a cut connection keeps it for the next attempt.
 */
export async function downloadFile(file: FileDownload, opts: DownloadOptions): Promise<Downloaded> {
  const part = `${file.dest}.part`;
  const metaPath = `${part}.json`;
  const retries = opts.retries ?? 3;
  let received = 0;
  let resumedFrom = -1;
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await attemptDownload(file, opts, part, metaPath);
      received += r.received;
      if (resumedFrom < 0) resumedFrom = r.resumedFrom;
      return { size: r.size, sha256: r.sha256, received, resumedFrom };
    } catch (err) {
      if (opts.signal?.aborted) throw abortError();
      const transient = err instanceof CutError;
      if (err instanceof CutError) {
        received += err.received;
        if (resumedFrom < 0) resumedFrom = err.resumedFrom;
      }
      if (!transient || attempt >= retries) {
        if (transient) {
          fail('network', `The download of ${file.name} was interrupted (${err.message}); what arrived is kept and the next pull resumes from there.`, {
            file: file.name,
            hint: 'Run the same pull again to resume.',
          });
        }
        throw err;
      }
      await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
    }
  }
}

class CutError extends Error {
  constructor(
    message: string,
    readonly received: number,
    readonly resumedFrom: number,
  ) {
    super(message);
  }
}

function abortError(): Error {
  return Object.assign(new Error('Cancelled.'), { name: 'AbortError' });
}

async function attemptDownload(file: FileDownload, opts: DownloadOptions, part: string, metaPath: string) {
  let have = await fsp.stat(part).then((s) => s.size, () => 0);
  const meta = have > 0 ? await readMeta(metaPath) : null;
  if (have > 0 && !meta) {
    await fsp.rm(part, { force: true });
    have = 0;
  }
  if (file.size !== undefined && have > file.size) {
    await fsp.rm(part, { force: true });
    have = 0;
  }
  if (file.size !== undefined && have === file.size && have > 0) {
    // Everything arrived before an earlier interruption: verify what is there.
    const sha = await hashFile(part);
    await finish(file, part, metaPath, have, sha);
    return { size: have, sha256: sha, received: 0, resumedFrom: have };
  }

  const headers: Record<string, string> = {};
  if (have > 0 && meta) {
    headers.Range = `bytes=${have}-`;
    headers['If-Range'] = meta.etag;
  }
  // Always through the resolve URL: the CDN address it redirects to is signed and expires; Range rides every hop.
  const opened = await openFile(file.url, opts.hub, headers, opts.signal);
  const { res } = opened;
  if (res.status === 404) {
    await res.body?.cancel();
    fail('not_found', `The hub has no file "${file.name}" (HTTP 404 for ${file.url}).`, { file: file.name, hint: 'Check the repo, the revision and the dtype variant; `longhand models pull <repo>` lists what exists.' });
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    fail('network', `The hub refused "${file.name}" (HTTP ${res.status}).`, { file: file.name, hint: opts.hub.token ? 'Your HF_TOKEN lacks access to this repo (gated? accept its license on the hub).' : 'The repo may be gated or private: set HF_TOKEN.' });
  }
  if (res.status === 416 && have > 0) {
    await res.body?.cancel();
    await fsp.rm(part, { force: true });
    await fsp.rm(metaPath, { force: true });
    throw new CutError('the server refused the resume range; starting over', 0, 0);
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    if (res.status >= 500) throw new CutError(`HTTP ${res.status}`, 0, have);
    fail('network', `Downloading "${file.name}" failed: HTTP ${res.status}.`, { file: file.name });
  }
  if (!res.body) fail('network', `The server sent no body for "${file.name}".`, { file: file.name });

  let start = 0;
  if (res.status === 206) {
    const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== have) {
      await res.body.cancel();
      fail('network', `The server answered a resume of "${file.name}" with the wrong range (${res.headers.get('content-range') ?? 'none'}).`, { file: file.name, hint: 'Try again; if it persists, remove the partial download with `longhand models cancel`.' });
    }
    start = have;
  }
  const expectedSize = file.size ?? opened.linkedSize ?? contentTotal(res, start);
  if (file.size !== undefined && opened.linkedSize !== undefined && opened.linkedSize !== file.size) {
    await res.body.cancel();
    fail('bad_input', `The hub announces ${opened.linkedSize} bytes for "${file.name}" but ${file.size} were expected.`, { file: file.name, hint: 'The catalog entry or revision is out of date with the hub; pin a revision that matches.' });
  }
  const expectedSha = file.sha256 ?? opened.linkedSha256;
  const etag = res.headers.get('etag');
  if (etag) await fsp.writeFile(metaPath, JSON.stringify({ url: opened.url, etag } satisfies PartMeta));

  const hash = createHash('sha256');
  if (start > 0) await hashInto(hash, part);
  let written = start;
  let received = 0;
  // Each chunk is written before the next is read, so after a cut the part holds exactly what arrived.
  const fh = await fsp.open(part, start > 0 ? 'a' : 'w');
  try {
    const reader = res.body.getReader();
    const onAbort = () => void reader.cancel().catch(() => undefined);
    opts.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const { done, value } = await readWithin(reader, opts.idleTimeoutMs ?? 60_000);
        if (done) break;
        if (expectedSize !== undefined && written + value.length > expectedSize) {
          await reader.cancel().catch(() => undefined);
          await fh.close();
          await discard(part, metaPath);
          fail('bad_input', `The server sent more bytes for "${file.name}" than the ${expectedSize} it announced; the file was discarded.`, {
            file: file.name,
            hint: 'The mirror or proxy is misbehaving; try again or use another endpoint.',
          });
        }
        await fh.write(value);
        hash.update(value);
        written += value.length;
        received += value.length;
        opts.onBytes?.(written, expectedSize);
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  } catch (err) {
    await fh.close().catch(() => undefined);
    if (opts.signal?.aborted) throw abortError();
    if (err instanceof LonghandError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC') fail('io', `The disk filled up while writing "${file.name}".`, { file: part, hint: 'Free some space and pull again; the download resumes.' });
    if (!etag) await discard(part, metaPath);
    throw new CutError((err as Error).message, received, start);
  }
  await fh.close();
  if (expectedSize !== undefined && written !== expectedSize) {
    // The server ended the body early without an error: keep what arrived and resume.
    throw new CutError(`received ${written} of ${expectedSize} bytes`, received, start);
  }
  const sha = hash.digest('hex');
  if (expectedSha && sha !== expectedSha) {
    await discard(part, metaPath);
    fail('bad_input', `Checksum mismatch for "${file.name}": expected sha256 ${expectedSha}, got ${sha}. The file was discarded and nothing was installed.`, {
      file: file.name,
      hint: 'The download was corrupted or the source changed; pull again. If it repeats, the mirror serves damaged data.',
    });
  }
  await finish(file, part, metaPath, written, sha);
  return { size: written, sha256: sha, received, resumedFrom: start };
}

/** One read, or an error when the server has sent nothing for `ms` (a stalled connection). */
async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number): ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void reader.cancel().catch(() => undefined);
      reject(new Error(`no data for ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

function contentTotal(res: Response, start: number): number | undefined {
  const range = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  if (range) return Number(range[1]);
  const len = res.headers.get('content-length');
  return len !== null && /^\d+$/.test(len) ? start + Number(len) : undefined;
}

async function finish(file: FileDownload, part: string, metaPath: string, size: number, sha: string): Promise<void> {
  if (file.size !== undefined && size !== file.size) fail('bad_input', `"${file.name}" has ${size} bytes, not the ${file.size} expected.`, { file: file.name });
  if (file.sha256 && sha !== file.sha256) {
    await discard(part, metaPath);
    fail('bad_input', `Checksum mismatch for "${file.name}": expected sha256 ${file.sha256}, got ${sha}. The file was discarded and nothing was installed.`, { file: file.name, hint: 'Pull again.' });
  }
  await fsp.rename(part, file.dest);
  await fsp.rm(metaPath, { force: true });
}

async function discard(part: string, metaPath: string): Promise<void> {
  await fsp.rm(part, { force: true });
  await fsp.rm(metaPath, { force: true });
}

async function readMeta(p: string): Promise<PartMeta | null> {
  try {
    const m = JSON.parse(await fsp.readFile(p, 'utf8')) as Partial<PartMeta>;
    return typeof m.url === 'string' && typeof m.etag === 'string' ? { url: m.url, etag: m.etag } : null;
  } catch {
    return null;
  }
}

async function hashInto(hash: Hash, p: string): Promise<void> {
  for await (const chunk of fs.createReadStream(p)) hash.update(chunk as Buffer);
}

export async function hashFile(p: string): Promise<string> {
  const hash = createHash('sha256');
  await hashInto(hash, p);
  return hash.digest('hex');
}
