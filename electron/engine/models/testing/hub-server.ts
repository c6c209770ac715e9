import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 that speaks the Hugging Face hub's URL layout, for tests and benchmarks:
 * - GET/HEAD /{owner}/{name}/resolve/{revision}/{path}: small files are served directly; "LFS" files answer 302 to
 *   /cdn/{sha256} with X-Linked-Etag / X-Linked-Size, like the real hub does;
 * - GET /cdn/{sha256}: the bytes, with ETag, Accept-Ranges, Range (206) and If-Range;
 * - GET /api/models/{owner}/{name}/tree/{revision}?recursive=true: the file listing with sizes and lfs.oid.
 * Faults are injected per file path and counted down per request.
 */

export interface HubFile {
  path: string;
  data: Buffer;
  /** Served through the CDN redirect with X-Linked-* headers (default: files over 1 KiB). */
  lfs?: boolean;
}

export type Fault =
  /** Send this many body bytes, then cut the connection. */
  | { kind: 'cut'; afterBytes: number }
  /** Serve different bytes of the same length (a corrupted CDN object). */
  | { kind: 'corrupt' }
  /** Send the body and then `extra` more bytes (chunked, no Content-Length). */
  | { kind: 'overflow'; extra: number }
  /** Answer with this status. */
  | { kind: 'status'; status: number }
  /** Send bytes slowly: `chunk` bytes every `everyMs` (for cancel tests). */
  | { kind: 'slow'; chunk: number; everyMs: number }
  /** Send this many body bytes, then nothing more while keeping the connection open. */
  | { kind: 'stall'; afterBytes: number }
  /** Ignore Range and send the whole file with 200. */
  | { kind: 'no-range' };

export interface LoggedRequest {
  method: string;
  url: string;
  range?: string;
  ifRange?: string;
  authorization?: string;
  status: number;
  bytesSent: number;
}

export interface HubServer {
  endpoint: string;
  requests: LoggedRequest[];
  /** Adds a fault for `path` (a repo file path), used for the next `times` requests of its bytes. */
  fault(path: string, fault: Fault, times?: number): void;
  clearFaults(): void;
  /** The most files sent at once since the last reset (for concurrency assertions). */
  maxInFlight(): number;
  close(): Promise<void>;
}

interface Repo {
  revision: string;
  files: HubFile[];
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function startHubServer(repos: Record<string, Repo>, options: { treePageSize?: number } = {}): Promise<HubServer> {
  const faults = new Map<string, Array<{ fault: Fault; times: number }>>();
  const requests: LoggedRequest[] = [];
  const byOid = new Map<string, HubFile>();
  let inFlight = 0;
  let maxInFlight = 0;
  for (const repo of Object.values(repos)) for (const f of repo.files) byOid.set(sha256(f.data), f);
  const isLfs = (f: HubFile) => f.lfs ?? f.data.length > 1024;

  function takeFault(path: string): Fault | undefined {
    const list = faults.get(path);
    const first = list?.[0];
    if (!list || !first) return undefined;
    if (--first.times <= 0) list.shift();
    return first.fault;
  }

  function findRepo(owner: string, name: string, revision: string): Repo | undefined {
    const repo = repos[`${owner}/${name}`];
    return repo && (repo.revision === revision || revision === 'main') ? repo : undefined;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const log: LoggedRequest = {
      method: req.method ?? 'GET',
      url: url.pathname + url.search,
      range: req.headers.range,
      ifRange: req.headers['if-range'] as string | undefined,
      authorization: req.headers.authorization,
      status: 0,
      bytesSent: 0,
    };
    requests.push(log);
    const send = (status: number, body: string | Buffer, headers: Record<string, string | number> = {}) => {
      log.status = status;
      res.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const segs = url.pathname.split('/').slice(1).map(decodeURIComponent);

    // tree API
    if (segs[0] === 'api' && segs[1] === 'models' && segs[4] === 'tree') {
      const repo = findRepo(segs[2] ?? '', segs[3] ?? '', segs.slice(5).join('/'));
      if (!repo) return send(404, JSON.stringify({ error: 'Repository not found' }), { 'Content-Type': 'application/json' });
      const listing = repo.files.map((f) => ({
        type: 'file',
        path: f.path,
        size: f.data.length,
        oid: createHash('sha1').update(f.data).digest('hex'),
        ...(isLfs(f) ? { lfs: { oid: sha256(f.data), size: f.data.length, pointerSize: 134 } } : {}),
      }));
      // Paginated like the hub: a Link header with rel="next" and a cursor.
      const size = options.treePageSize ?? listing.length;
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const page = listing.slice(from, from + size);
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (from + size < listing.length) {
        const next = new URL(url.href);
        next.searchParams.set('cursor', String(from + size));
        headers.Link = `<${next.pathname}${next.search}>; rel="next"`;
      }
      return send(200, JSON.stringify(page), headers);
    }

    // resolve
    if (segs[2] === 'resolve') {
      const repo = findRepo(segs[0] ?? '', segs[1] ?? '', segs[3] ?? '');
      const path = segs.slice(4).join('/');
      const file = repo?.files.find((f) => f.path === path);
      if (!repo || !file) return send(404, 'Entry not found', { 'X-Error-Code': 'EntryNotFound' });
      const oid = sha256(file.data);
      if (isLfs(file)) {
        log.status = 302;
        res.writeHead(302, {
          Location: `/cdn/${oid}?path=${encodeURIComponent(path)}`,
          'X-Linked-Etag': `"${oid}"`,
          'X-Linked-Size': String(file.data.length),
          ETag: `"${oid}"`,
          'X-Repo-Commit': repo.revision,
          'Content-Length': 0,
        });
        return res.end();
      }
      return serveBytes(req, res, log, file, `"${createHash('sha1').update(file.data).digest('hex')}"`);
    }

    if (segs[0] === 'cdn' && segs[1]) {
      const file = byOid.get(segs[1]);
      if (!file) return send(404, 'NoSuchKey');
      return serveBytes(req, res, log, file, `"${segs[1]}"`);
    }
    send(404, 'Not found');
  });

  function serveBytes(req: http.IncomingMessage, res: http.ServerResponse, log: LoggedRequest, file: HubFile, etag: string): void {
    const fault = req.method === 'HEAD' ? undefined : takeFault(file.path);
    if (fault?.kind === 'status') {
      log.status = fault.status;
      res.writeHead(fault.status, { 'Content-Length': 0 });
      return void res.end();
    }
    let data = file.data;
    if (fault?.kind === 'corrupt') data = Buffer.from(data.map((b) => b ^ 0xff));
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (range && fault?.kind !== 'no-range' && (!ifRange || ifRange === etag)) start = Number(range[1]);
    if (start > data.length) {
      log.status = 416;
      res.writeHead(416, { 'Content-Range': `bytes */${data.length}`, 'Content-Length': 0 });
      return void res.end();
    }
    const body = data.subarray(start);
    const headers: Record<string, string | number> = { ETag: etag, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream' };
    if (fault?.kind !== 'overflow') headers['Content-Length'] = body.length;
    if (start > 0) headers['Content-Range'] = `bytes ${start}-${data.length - 1}/${data.length}`;
    log.status = start > 0 ? 206 : 200;
    res.writeHead(log.status, headers);
    if (req.method === 'HEAD') return void res.end();

    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on('close', finish);
    if (fault?.kind === 'cut') {
      const part = body.subarray(0, fault.afterBytes);
      log.bytesSent = part.length;
      // FIN after the bytes (not RST), so the client really has them: the cut is at a known offset.
      res.write(part, () => res.socket?.end());
      return;
    }
    if (fault?.kind === 'stall') {
      const part = body.subarray(0, fault.afterBytes);
      log.bytesSent = part.length;
      res.write(part);
      return;
    }
    if (fault?.kind === 'overflow') {
      log.bytesSent = body.length + fault.extra;
      res.write(body);
      return void res.end(Buffer.alloc(fault.extra, 0x41));
    }
    if (fault?.kind === 'slow') {
      let at = 0;
      const tick = () => {
        if (res.destroyed) return;
        const piece = body.subarray(at, at + fault.chunk);
        at += piece.length;
        log.bytesSent = at;
        if (at >= body.length) return void res.end(piece);
        res.write(piece);
        setTimeout(tick, fault.everyMs);
      };
      return tick();
    }
    log.bytesSent = body.length;
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    fault(path, fault, times = 1) {
      const list = faults.get(path) ?? [];
      list.push({ fault, times });
      faults.set(path, list);
    },
    maxInFlight: () => maxInFlight,
    clearFaults: () => {
      faults.clear();
      maxInFlight = inFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
