import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { DocKind, type RequestResult } from '../../contract/contract.ts';
import { fail } from '../../engine/errors.ts';
import { UsageError, type Command } from '../command.ts';

export interface PassageInput {
  text: string;
  meanLogprob?: number;
}

async function readAll(source: string): Promise<{ bytes: Buffer; file: string }> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return { bytes: Buffer.concat(chunks), file: '<stdin>' };
  }
  try {
    return { bytes: fs.readFileSync(source), file: source };
  } catch (err) {
    return fail('not_found', `Cannot read the passages file: ${(err as Error).message}`, { file: source, hint: 'Give a JSON file of passages, or - to read them from stdin.' });
  }
}

/**
 * Reads `--passages <file.json|->`: a JSON array of strings (or of { text, meanLogprob } objects when
 * `objects` is allowed), strictly UTF-8.
 */
export async function readPassages(source: string, objects = false): Promise<PassageInput[]> {
  const { bytes, file } = await readAll(source);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    fail('bad_input', `The passages file is not valid UTF-8 (first bad byte at offset ${at}).`, { file, hint: 'Save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`).' });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    fail('bad_input', `The passages file is not valid JSON: ${(err as Error).message}`, { file, hint: 'Give a JSON array of strings, e.g. ["first passage", "second passage"].' });
  }
  if (!Array.isArray(data)) fail('bad_input', 'The passages file must hold a JSON array.', { file, hint: 'e.g. ["first passage", "second passage"]' });
  if (data.length === 0) fail('bad_input', 'The passages list is empty.', { file, field: 'passages', hint: 'Give at least one passage.' });
  return data.map((p: unknown, i): PassageInput => {
    if (typeof p === 'string') return { text: p };
    if (objects && typeof p === 'object' && p !== null && typeof (p as PassageInput).text === 'string') {
      const m = (p as PassageInput).meanLogprob;
      if (m !== undefined && typeof m !== 'number') fail('bad_input', `Passage ${i}: meanLogprob must be a number.`, { file, field: `passages.${i}.meanLogprob` });
      return m === undefined ? { text: (p as PassageInput).text } : { text: (p as PassageInput).text, meanLogprob: m };
    }
    return fail('bad_input', `Passage ${i} is not a string${objects ? ' or a { "text": … } object' : ''}.`, { file, field: `passages.${i}` });
  });
}

function firstInvalidUtf8(bytes: Buffer): number {
  // Binary search on the prefix length that still decodes: cheap even for large files.
  const ok = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  // The decodable prefix may end inside an unfinished sequence: point at that sequence's lead byte.
  for (let k = 1; k <= 3 && lo - k >= 0; k++) {
    const b = bytes[lo - k]!;
    if (b >= 0xc0) return lo - k;
    if (b < 0x80) break;
  }
  return lo;
}

export interface ScoreFlags {
  query: string;
  passages: PassageInput[];
  model?: string;
  prefix?: string;
  kind?: DocKind;
}

export async function parseScoreArgs(argv: string[], objects: boolean): Promise<ScoreFlags & { json: boolean }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      query: { type: 'string' },
      passages: { type: 'string' },
      model: { type: 'string' },
      prefix: { type: 'string' },
      kind: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (!values.query) throw new UsageError('--query is required.');
  if (!values.passages) throw new UsageError('--passages is required (a JSON file, or - for stdin).');
  let kind: DocKind | undefined;
  if (values.kind !== undefined) {
    const k = DocKind.safeParse(values.kind);
    if (!k.success) throw new UsageError(`--kind must be one of ${DocKind.options.join(', ')}.`);
    kind = k.data;
  }
  return {
    query: values.query,
    passages: await readPassages(values.passages, objects),
    json: values.json ?? false,
    ...(values.model !== undefined && { model: values.model }),
    ...(values.prefix !== undefined && { prefix: values.prefix }),
    ...(kind && { kind }),
  };
}

/** The score.rerank request for these flags. */
export function rerankArgs(f: ScoreFlags): Record<string, unknown> {
  const logprobs = f.passages.map((p) => p.meanLogprob);
  return {
    query: f.query,
    passages: f.passages.map((p) => p.text),
    ...(logprobs.every((m) => m !== undefined) && { meanLogprobs: logprobs }),
    ...(f.prefix !== undefined && { prefix: f.prefix }),
    ...(f.kind && { kind: f.kind }),
    ...(f.model !== undefined && { model: f.model }),
  };
}

export type RerankReply = RequestResult<'score.rerank'>;

export const score: Command = {
  name: 'score',
  summary: 'Relevance of passages to a query (outline point), in input order',
  usage: 'longhand score --query <text> --passages <file.json|-> [--model <dir>] [--json]',
  async run(argv, { engine, io }) {
    const flags = await parseScoreArgs(argv, false);
    const r = await engine().request('score.rerank', rerankArgs(flags));
    const scores = r.candidates.map((c) => c.scores.relevance);
    if (flags.json) {
      io.out(JSON.stringify(scores));
      return 0;
    }
    const lines = r.candidates.map((c, i) => `${String(i).padStart(3)}  ${c.scores.relevance.toFixed(4).padStart(8)}  ${preview(c.text)}`);
    io.out([`relevance (log P) with ${r.model.dir}`, ...lines].join('\n'));
    return 0;
  },
};

export function preview(text: string, width = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > width ? `${one.slice(0, width - 1)}…` : one;
}
