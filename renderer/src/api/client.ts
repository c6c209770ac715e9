/**
 * The renderer's one door to the engine: the Electron preload bridge when present, else the browser-mode
 * client (HTTP for requests, a WebSocket for events; the token comes from the page URL once, then a cookie).
 */
import type { EngineEvent, LonghandApi, Reply, RequestArgs, RequestName } from '../../../electron/contract/contract.ts';

declare global {
  interface Window {
    longhand?: LonghandApi;
  }
}

class WebClient implements LonghandApi {
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private socket: WebSocket | null = null;
  private retryMs = 250;

  constructor() {
    this.connect();
  }

  async call<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<Reply<N>> {
    try {
      const res = await fetch('./api/call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ name, args }),
      });
      return (await res.json()) as Reply<N>;
    } catch (err) {
      return { ok: false, error: { code: 'network', message: `The engine is unreachable: ${(err as Error).message}`, hint: 'Is `npm run web` still running?' } };
    }
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private connect(): void {
    const url = new URL('./events', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '';
    const ws = new WebSocket(url);
    this.socket = ws;
    ws.onopen = () => {
      this.retryMs = 250;
      this.dispatch({ type: 'engine.health', ok: true });
    };
    ws.onmessage = (m) => {
      try {
        this.dispatch(JSON.parse(String(m.data)) as EngineEvent);
      } catch {
        /* ignore a malformed frame */
      }
    };
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.dispatch({ type: 'engine.health', ok: false, message: 'Connection to the engine lost; reconnecting…' });
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }

  private dispatch(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
  }
}

function createApi(): LonghandApi {
  if (window.longhand) return window.longhand;
  // The token came in the URL; the server has set it as an HttpOnly cookie. Drop it from the address bar.
  if (location.search.includes('token=')) history.replaceState(null, '', location.pathname);
  return new WebClient();
}

const base: LonghandApi = createApi();
const local = new Set<(event: EngineEvent) => void>();

/** The API, with one addition: events can be replayed locally (benchmarks drive streaming this way). */
export const api: LonghandApi = {
  call: (name, args) => base.call(name, args),
  onEvent(listener) {
    local.add(listener);
    const off = base.onEvent(listener);
    return () => {
      local.delete(listener);
      off();
    };
  },
};

declare global {
  interface Window {
    /** Present only when the page was opened for a benchmark (sessionStorage "longhand.bench" = "1"). */
    __longhandReplay?: (event: EngineEvent) => void;
  }
}
try {
  if (sessionStorage.getItem('longhand.bench') === '1') window.__longhandReplay = (event) => local.forEach((l) => l(event));
} catch {
  /* no storage: no replay hook */
}

/** Calls a request and returns its result, or throws an Error carrying the ApiError. */
export async function request<N extends RequestName>(name: N, args: RequestArgs<N>) {
  const reply = await api.call(name, args);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { apiError: reply.error });
  return reply.result;
}
