import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiError } from '../contract/contract.ts';
import { Engine } from '../engine/engine.ts';
import { appRoot } from '../engine/paths.ts';
import { contentSecurityPolicy } from './csp.ts';
import { handleOpenAi } from './openai-route.ts';

export { contentSecurityPolicy };

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

const MAX_BODY = 64 * 1024 * 1024;
const COOKIE = 'longhand_token';

export interface WebServerOptions {
  engine?: Engine;
  port?: number;
  /** Folder with the built renderer (index.html + assets). */
  staticDir?: string;
  token?: string;
}

export interface WebServer {
  url: string;
  /** The URL with the token: enough to open the app in any browser. */
  appUrl: string;
  port: number;
  token: string;
  engine: Engine;
  close(): Promise<void>;
}

/**
 * Browser mode: the engine in this Node process, the built renderer and the API on 127.0.0.1 only.
 * Every request (page, assets, API, WebSocket) must carry the per-run token (query, header or cookie),
 * and requests from other origins are refused.
 */
export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const engine = options.engine ?? new Engine({ host: 'web' });
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const staticDir = options.staticDir ?? path.join(appRoot, 'renderer', 'dist');
  let origin = '';

  const tokenOk = (req: http.IncomingMessage, url: URL): boolean => {
    const candidates = [
      url.searchParams.get('token'),
      req.headers['x-longhand-token'],
      req.headers.authorization?.replace(/^Bearer\s+/i, ''),
      parseCookie(req.headers.cookie ?? '')[COOKIE],
    ];
    return candidates.some((c) => typeof c === 'string' && safeEqual(c, token));
  };
  const originOk = (req: http.IncomingMessage): boolean => {
    const o = req.headers.origin;
    // Browsers send Origin on cross-origin requests and on all POST/WebSocket requests: it must be ours.
    if (o !== undefined && o !== origin && o !== origin.replace('127.0.0.1', 'localhost')) return false;
    // Host header check defeats DNS rebinding.
    const host = req.headers.host ?? '';
    return /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    if (!originOk(req)) return sendError(res, 403, { code: 'invalid_request', message: 'Requests from other origins are refused.' });
    if (!tokenOk(req, url)) {
      return sendError(res, 401, {
        code: 'invalid_request',
        message: 'Missing or wrong token.',
        hint: 'Open the URL printed by `npm run web` (it carries ?token=…).',
      });
    }
    if ((url.pathname.startsWith('/v1/') || url.pathname === '/tokenize') && handleOpenAi(req, res, url, () => engine.services.generator.current())) return;
    if (url.pathname === '/api/call') {
      if (req.method !== 'POST') return sendError(res, 405, { code: 'invalid_request', message: 'Use POST for /api/call.' });
      return void handleCall(engine, req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, { code: 'invalid_request', message: 'Method not allowed.' });
    if (url.searchParams.has('token')) {
      res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    serveStatic(staticDir, url.pathname, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/events' || !originOk(req) || !tokenOk(req, url)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', () => ws.close(1008, 'events socket is one-way'));
  });
  const unsubscribe = engine.onEvent((event) => {
    const data = JSON.stringify(event);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(data);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    appUrl: `${origin}/?token=${token}`,
    port,
    token,
    engine,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.engine) await engine.dispose();
    },
  };
}

async function handleCall(engine: Engine, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    return sendError(res, 415, { code: 'invalid_request', message: 'Send the request as application/json.' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return sendError(res, 413, { code: 'limit', message: `Request body over ${MAX_BODY} bytes.` });
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return sendError(res, 400, { code: 'invalid_request', message: 'The body is not valid JSON.', hint: 'Send {"name": "...", "args": {...}}.' });
  }
  const { name, args } = (body ?? {}) as { name?: unknown; args?: unknown };
  const reply = await engine.call(name, args);
  sendJson(res, 200, reply);
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  const rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(path.resolve(root) + path.sep)) return sendError(res, 403, { code: 'invalid_request', message: 'Path outside the app.' });
  fs.readFile(file, (err, data) => {
    if (err) {
      if (rel === '/index.html') {
        return sendError(res, 503, { code: 'unavailable', message: `The renderer is not built (${file} missing).`, hint: 'Run `npm run build:renderer`.' });
      }
      return sendError(res, 404, { code: 'not_found', message: `No such file: ${rel}` });
    }
    res.setHeader('Content-Type', MIME[path.extname(file)] ?? 'application/octet-stream');
    if (file.endsWith('.html')) res.setHeader('Content-Security-Policy', contentSecurityPolicy);
    res.writeHead(200);
    res.end(data);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendError(res: http.ServerResponse, status: number, error: ApiError): void {
  sendJson(res, status, { ok: false, error });
}

function parseCookie(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
