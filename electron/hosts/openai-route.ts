/**
 * `/v1/completions` and `/v1/models` on the browser-mode server, backed by the engine's local generator: the
 * OpenAI-compatible API that vLLM, llama.cpp server, Ollama and LM Studio speak, so Longhand's own endpoint
 * backend (and any OpenAI client) can use a model loaded here. The server's token check runs before this route.
 *
 * The local generator keeps only each candidate's mean log-probability, so `logprobs.token_logprobs` reports
 * that mean for every token (the mean over them is exact; single values are not).
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import type { Candidate } from '../contract/contract.ts';
import { toApiError } from '../engine/errors.ts';
import type { TextGenerator } from '../engine/services/types.ts';

const MAX_BODY = 8 * 1024 * 1024;

const CompletionRequest = z.object({
  model: z.string().optional(),
  prompt: z.union([z.string(), z.array(z.string()).length(1)]),
  n: z.number().int().min(1).max(32).default(1),
  max_tokens: z.number().int().min(1).max(32768).default(16),
  temperature: z.number().min(0).max(5).default(1),
  top_p: z.number().gt(0).max(1).default(1),
  top_k: z.number().int().min(-1).default(0),
  min_p: z.number().min(0).max(1).default(0),
  repetition_penalty: z.number().min(0.5).max(3).default(1),
  frequency_penalty: z.number().min(-2).max(2).default(0),
  stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(16)]).optional(),
  seed: z.number().int().min(0).optional(),
  stream: z.boolean().default(false),
  logprobs: z.number().int().min(0).max(5).nullable().optional(),
});

type Resolve = () => TextGenerator | null;

/** Answers a `/v1/...` request; returns false when the path isn't one of ours. */
export function handleOpenAi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, generator: Resolve): boolean {
  if (url.pathname === '/v1/models') {
    if (req.method !== 'GET') return (oaiError(res, 405, 'Use GET for /v1/models.'), true);
    const g = generator();
    const status = g?.status();
    send(res, 200, {
      object: 'list',
      data: g ? [{ id: status?.modelName ?? 'local', object: 'model', owned_by: 'longhand', max_model_len: g.contextLength() }] : [],
    });
    return true;
  }
  if (url.pathname === '/tokenize') {
    if (req.method !== 'POST') return (oaiError(res, 405, 'Use POST for /tokenize.'), true);
    void tokenize(req, res, generator).catch((err) => oaiError(res, 500, toApiError(err).message));
    return true;
  }
  if (url.pathname === '/v1/completions') {
    if (req.method !== 'POST') return (oaiError(res, 405, 'Use POST for /v1/completions.'), true);
    void completions(req, res, generator).catch((err) => {
      if (!res.headersSent) oaiError(res, 500, toApiError(err).message);
      else res.end();
    });
    return true;
  }
  return false;
}

async function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<{ body: unknown } | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return (oaiError(res, 413, `Request body over ${MAX_BODY} bytes.`), null);
    chunks.push(chunk as Buffer);
  }
  try {
    return { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return (oaiError(res, 400, 'The body is not valid JSON.'), null);
  }
}

/** vLLM-style `/tokenize`: the token count of `prompt` (or llama.cpp's `content`) under the loaded model. */
async function tokenize(req: http.IncomingMessage, res: http.ServerResponse, resolve: Resolve): Promise<void> {
  const read = await readBody(req, res);
  if (!read) return;
  const b = read.body as { prompt?: unknown; content?: unknown };
  const text = typeof b?.prompt === 'string' ? b.prompt : typeof b?.content === 'string' ? b.content : null;
  if (text === null) return oaiError(res, 400, 'Give "prompt" (a string).', 'prompt');
  const generator = resolve();
  if (!generator) return oaiError(res, 503, 'No model is loaded. Load a generator model in Longhand first.');
  send(res, 200, { count: generator.countTokens(text), max_model_len: generator.contextLength() });
}

async function completions(req: http.IncomingMessage, res: http.ServerResponse, resolve: Resolve): Promise<void> {
  const read = await readBody(req, res);
  if (!read) return;
  const body = read.body;
  const parsed = CompletionRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return oaiError(res, 400, `${issue.path.join('.') || 'body'}: ${issue.message}`, issue.path.join('.'));
  }
  const generator = resolve();
  if (!generator) return oaiError(res, 503, 'No model is loaded. Load a generator model in Longhand first.');
  const r = parsed.data;
  const prompt = typeof r.prompt === 'string' ? r.prompt : r.prompt[0]!;
  const id = `cmpl-${crypto.randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const model = generator.status().modelName ?? 'local';
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const sampling = {
    maxTokens: r.max_tokens,
    temperature: r.temperature,
    topK: Math.max(0, r.top_k),
    topP: r.top_p,
    minP: r.min_p,
    repetitionPenalty: r.repetition_penalty,
    frequencyPenalty: r.frequency_penalty,
    stop: r.stop === undefined ? [] : typeof r.stop === 'string' ? [r.stop] : r.stop,
    ...(r.seed !== undefined ? { seed: r.seed } : {}),
  };
  const logprobs = (c: Candidate) => (r.logprobs ? { token_logprobs: Array.from({ length: c.tokens }, () => c.meanLogprob) } : null);
  const finish = (c: Candidate) => (c.finishReason === 'length' ? 'length' : 'stop');
  if (r.stream) {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    const event = (choices: unknown[]) => res.write(`data: ${JSON.stringify({ id, object: 'text_completion', created, model, choices })}\n\n`);
    try {
      const result = await generator.generate({ prompt, candidates: r.n, sampling, signal: abort.signal, onText: (index, text) => event([{ index, text, logprobs: null, finish_reason: null }]) });
      result.candidates.forEach((c, index) => event([{ index, text: '', logprobs: logprobs(c), finish_reason: finish(c) }]));
    } catch (err) {
      res.write(`data: ${JSON.stringify({ error: { message: toApiError(err).message, type: 'server_error' } })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
    return;
  }
  let result;
  try {
    result = await generator.generate({ prompt, candidates: r.n, sampling, signal: abort.signal });
  } catch (err) {
    const e = toApiError(err);
    return oaiError(res, e.code === 'limit' || e.code === 'invalid_request' ? 400 : 500, e.message);
  }
  const completion = result.candidates.reduce((s, c) => s + c.tokens, 0);
  send(res, 200, {
    id,
    object: 'text_completion',
    created,
    model,
    choices: result.candidates.map((c, index) => ({ index, text: c.text, logprobs: logprobs(c), finish_reason: finish(c) })),
    usage: { prompt_tokens: result.stats.promptTokens, completion_tokens: completion, total_tokens: result.stats.promptTokens + completion },
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function oaiError(res: http.ServerResponse, status: number, message: string, param?: string): void {
  send(res, status, { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: param ?? null, code: null } });
}
