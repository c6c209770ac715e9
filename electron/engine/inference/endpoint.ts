import type { Candidate, GeneratorStatus } from '../../contract/contract.ts';
import { fail, LonghandError } from '../errors.ts';
import type { GenerateRequest, GenerateResult, TextGenerator } from '../services/types.ts';

export interface EndpointOptions {
  /** Base URL of an OpenAI-compatible server (vLLM, llama.cpp server, Ollama, LM Studio), with or without /v1; `http://:KEY@host/v1` carries a key. */
  url: string;
  /** Model name to send; defaults to the first one the server lists. */
  model?: string;
  /** Default: the URL's credentials, else LONGHAND_ENDPOINT_KEY or OPENAI_API_KEY. */
  apiKey?: string;
  /** Give up when the server sends nothing for this long. */
  idleTimeoutMs?: number;
  /** Used when the server doesn't say. */
  contextLength?: number;
}

interface ChoiceChunk {
  index?: number;
  text?: string;
  finish_reason?: string | null;
  logprobs?: { token_logprobs?: Array<number | null> } | null;
}

/**
 * A TextGenerator served by an OpenAI-compatible `/v1/completions` endpoint: k candidates via `n`, streamed as
 * server-sent events. Token counts are estimated (the server's tokenizer isn't here), on the high side so prompt
 * budgets still hold.
 */
export class EndpointGenerator implements TextGenerator {
  private constructor(
    private readonly base: string,
    private readonly model: string,
    private readonly context: number,
    private readonly options: EndpointOptions,
    private readonly bytesPerToken: number,
  ) {}

  static async connect(input: EndpointOptions): Promise<EndpointGenerator> {
    let options = input;
    let base: string;
    let apiKey = options.apiKey;
    try {
      const u = new URL(options.url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
      // http://:KEY@host/v1 carries the API key (fetch refuses credentials in URLs, so it moves to the header).
      if (u.password || u.username) apiKey ??= decodeURIComponent(u.password || u.username);
      base = `${u.origin}${u.pathname}`.replace(/\/+$/, '');
    } catch {
      fail('bad_input', `Endpoint URL ${JSON.stringify(options.url)} is not an http(s) URL.`, { field: 'endpoint', hint: 'Give the server address, e.g. http://127.0.0.1:8000/v1.' });
    }
    if (!/\/v1$/.test(base)) base += '/v1';
    apiKey ??= process.env.LONGHAND_ENDPOINT_KEY || process.env.OPENAI_API_KEY || undefined;
    options = { ...options, ...(apiKey ? { apiKey } : {}) };
    const body = await request(`${base}/models`, { method: 'GET', headers: headers(options) }, options.idleTimeoutMs ?? 30_000);
    const models = (await readJson(body, `${base}/models`)) as { data?: Array<{ id?: unknown; max_model_len?: unknown; context_length?: unknown; meta?: { n_ctx_train?: unknown } }> };
    const list = Array.isArray(models?.data) ? models.data : [];
    const chosen = options.model ? list.find((m) => m.id === options.model) : list[0];
    const model = options.model ?? (typeof chosen?.id === 'string' ? chosen.id : undefined);
    if (!model) fail('bad_input', `The endpoint ${base} lists no models.`, { field: 'endpoint', hint: 'Load a model in the server, or pass the model name.' });
    const ctx = [chosen?.max_model_len, chosen?.context_length, chosen?.meta?.n_ctx_train].find((v): v is number => typeof v === 'number' && v > 0);
    const bytesPerToken = await calibrate(base, model, options);
    return new EndpointGenerator(base, model, ctx ?? options.contextLength ?? 4096, options, bytesPerToken);
  }

  status(): GeneratorStatus {
    return { loaded: true, backend: 'endpoint', modelName: this.model, modelDir: this.base, provider: 'cpu', contextLength: this.context };
  }

  countTokens(text: string): number {
    return Math.ceil(Buffer.byteLength(text, 'utf8') / this.bytesPerToken);
  }

  contextLength(): number {
    return this.context;
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const s = req.sampling;
    const started = performance.now();
    const payload = {
      model: this.model,
      prompt: req.prompt,
      n: req.candidates,
      max_tokens: s.maxTokens,
      temperature: s.temperature,
      top_p: s.topP,
      ...(s.topK > 0 ? { top_k: s.topK } : {}),
      ...(s.minP > 0 ? { min_p: s.minP } : {}),
      ...(s.repetitionPenalty !== 1 ? { repetition_penalty: s.repetitionPenalty } : {}),
      frequency_penalty: s.frequencyPenalty,
      ...(s.stop.length ? { stop: s.stop } : {}),
      ...(s.seed !== undefined ? { seed: s.seed } : {}),
      logprobs: 1,
      stream: true,
    };
    const url = `${this.base}/completions`;
    const res = await request(url, { method: 'POST', headers: { ...headers(this.options), 'Content-Type': 'application/json' }, body: JSON.stringify(payload), signal: req.signal }, this.options.idleTimeoutMs ?? 30_000);
    const texts: string[] = Array.from({ length: req.candidates }, () => '');
    const logprobs: number[][] = Array.from({ length: req.candidates }, () => []);
    const chunks: number[] = Array.from({ length: req.candidates }, () => 0);
    const finish: Array<Candidate['finishReason']> = Array.from({ length: req.candidates }, () => 'length');
    let firstTokenAt = 0;
    let promptTokens = this.countTokens(req.prompt);
    const take = (c: ChoiceChunk) => {
      const i = c.index ?? 0;
      if (!Number.isInteger(i) || i < 0 || i >= req.candidates) garbage(url, `choice index ${String(c.index)}`);
      if (typeof c.text === 'string' && c.text) {
        if (!firstTokenAt) firstTokenAt = performance.now();
        texts[i] += c.text;
        chunks[i]!++;
        req.onText?.(i, c.text);
      }
      for (const lp of c.logprobs?.token_logprobs ?? []) if (typeof lp === 'number') logprobs[i]!.push(lp);
      if (c.finish_reason) finish[i] = c.finish_reason === 'length' ? 'length' : 'stop';
    };
    const onEvent = (json: unknown) => {
      const j = json as { choices?: unknown; usage?: { prompt_tokens?: unknown }; error?: { message?: unknown } };
      if (j?.error) fail('network', `The endpoint reported an error: ${String(j.error.message ?? JSON.stringify(j.error))}`, { file: url });
      if (!Array.isArray(j?.choices)) garbage(url, JSON.stringify(json).slice(0, 200));
      if (typeof j.usage?.prompt_tokens === 'number') promptTokens = j.usage.prompt_tokens;
      for (const c of j.choices as ChoiceChunk[]) take(c);
    };
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream')) {
      for await (const data of sseData(res, url, this.options.idleTimeoutMs ?? 30_000, req.signal)) {
        if (data === '[DONE]') break;
        let json: unknown;
        try {
          json = JSON.parse(data);
        } catch {
          garbage(url, data.slice(0, 200));
        }
        onEvent(json);
      }
    } else {
      onEvent(await readJson(res, url));
    }
    const seconds = (performance.now() - started) / 1000;
    const candidates: Candidate[] = texts.map((text, i) => {
      const lps = logprobs[i]!;
      const tokens = lps.length || chunks[i]!;
      return { text, tokens, finishReason: finish[i]!, meanLogprob: lps.length ? lps.reduce((a, b) => a + b, 0) / lps.length : 0 };
    });
    const generated = candidates.reduce((a, c) => a + c.tokens, 0);
    return {
      candidates,
      stats: {
        promptTokens,
        generatedTokens: generated,
        seconds,
        tokensPerSecond: seconds > 0 ? generated / seconds : 0,
        timeToFirstTokenMs: firstTokenAt ? firstTokenAt - started : seconds * 1000,
        provider: 'cpu',
      },
    };
  }

  async dispose(): Promise<void> {}
}

const CALIBRATION_TEXT =
  'Once upon a time, in a small town by the sea, there lived a girl who loved to read. ' +
  'The quarterly report shows that revenue grew by 4% while costs stayed flat; see section 2.1 for details. ' +
  '"Where are you going?" asked her brother, looking up from the table.';

/**
 * Bytes per token of the server's tokenizer, measured on a sample through its `/tokenize` route (vLLM and
 * llama.cpp server have one), with a 15% margin so budgets hold; 3 (above the truth for common BPEs) otherwise.
 */
async function calibrate(base: string, model: string, o: EndpointOptions): Promise<number> {
  const root = base.replace(/\/v1$/, '');
  try {
    const res = await fetch(`${root}/tokenize`, {
      method: 'POST',
      headers: { ...headers(o), 'Content-Type': 'application/json' },
      body: JSON.stringify({ model, prompt: CALIBRATION_TEXT, content: CALIBRATION_TEXT }),
      signal: AbortSignal.timeout(Math.min(o.idleTimeoutMs ?? 30_000, 10_000)),
    });
    if (!res.ok) return 3;
    const j = (await res.json()) as { count?: unknown; tokens?: unknown };
    const n = typeof j.count === 'number' ? j.count : Array.isArray(j.tokens) ? j.tokens.length : 0;
    return n > 0 ? Math.min(3, (Buffer.byteLength(CALIBRATION_TEXT) / n) * 0.85) : 3;
  } catch {
    return 3;
  }
}

function headers(o: EndpointOptions): Record<string, string> {
  return o.apiKey ? { Authorization: `Bearer ${o.apiKey}` } : {};
}

function garbage(url: string, what: string): never {
  fail('network', `The endpoint did not answer like an OpenAI completions server (got ${JSON.stringify(what)}).`, {
    file: url,
    hint: 'Check that the URL points at an OpenAI-compatible server (…/v1) that supports /v1/completions.',
  });
}

/** fetch with a time limit on the response headers; a network failure becomes a `network` error naming the URL. */
async function request(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal });
  } catch (err) {
    if (init.signal?.aborted) throw Object.assign(new Error('Cancelled.'), { name: 'AbortError' });
    if (timeout.aborted) fail('network', `The endpoint ${url} did not answer within ${timeoutMs / 1000} s.`, { file: url, hint: 'Check that the server is running and not overloaded.' });
    fail('network', `Could not reach the endpoint ${url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`, {
      file: url,
      hint: 'Check the URL and that the server is running.',
    });
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).slice(0, 300);
    fail('network', `The endpoint ${url} answered ${res.status} ${res.statusText}${text ? `: ${text}` : ''}.`, {
      file: url,
      hint: res.status === 401 || res.status === 403 ? 'Check the API key.' : 'Check the URL and the model name.',
    });
  }
  return res;
}

async function readJson(res: Response, url: string): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    garbage(url, text.slice(0, 200));
  }
}

/** The `data:` payloads of a server-sent-event stream; an idle gap over `idleMs` is a timeout error. */
async function* sseData(res: Response, url: string, idleMs: number, signal?: AbortSignal): AsyncGenerator<string> {
  if (!res.body) garbage(url, '(no body)');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LonghandError({ code: 'network', message: `The endpoint ${url} stopped sending for ${idleMs / 1000} s.`, file: url, hint: 'Check that the server is running and not overloaded.' })), idleMs);
      });
      let chunk: { done: boolean; value?: string };
      try {
        chunk = await Promise.race([reader.read(), idle]);
      } finally {
        clearTimeout(timer);
      }
      if (signal?.aborted) throw Object.assign(new Error('Cancelled.'), { name: 'AbortError' });
      if (chunk.done) break;
      buffer += chunk.value ?? "";
      let nl: number;
      while ((nl = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const event = buffer.slice(0, nl);
        buffer = buffer.slice(nl).replace(/^\r?\n\r?\n/, '');
        const data = event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
        if (data) yield data;
      }
    }
    if (buffer.trim()) {
      const data = buffer.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) yield data;
      else garbage(url, buffer.slice(0, 200));
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
