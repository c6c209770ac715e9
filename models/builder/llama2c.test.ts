import fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SamplingOptions } from '../../electron/contract/contract.ts';
import { OnnxGenerator } from '../../electron/engine/inference/generator.ts';
import { LonghandError } from '../../electron/engine/errors.ts';
import { convertLlama2c, parseCheckpoint, parseTokenizer, type Llama2cCheckpoint } from './llama2c.ts';
import { Llama2cEncoder, Llama2cForward } from './llama2c-reference.ts';

const STORIES = join(import.meta.dirname, '..', '..', '..', 'shared', 'models', 'stories260k');
const present = fs.existsSync(join(STORIES, 'stories260K.bin')) && fs.existsSync(join(STORIES, 'tok512.bin'));
if (!present) console.log(`SKIPPED llama2.c conversion tests: ${STORIES} (Karpathy's stories260K) is absent on this machine.`);

describe.skipIf(!present)('convert-llama2c on stories260K', () => {
  let out: string;
  let gen: OnnxGenerator;
  let checkpoint: Llama2cCheckpoint;
  let encoder: Llama2cEncoder;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'lh-stories-'));
    await convertLlama2c(join(STORIES, 'stories260K.bin'), join(STORIES, 'tok512.bin'), out);
    gen = await OnnxGenerator.load(out, { providers: ['cpu'] });
    checkpoint = parseCheckpoint(new Uint8Array(await readFile(join(STORIES, 'stories260K.bin'))));
    encoder = new Llama2cEncoder(parseTokenizer(new Uint8Array(await readFile(join(STORIES, 'tok512.bin'))), checkpoint.config.vocabSize));
  });
  afterAll(async () => {
    await gen?.dispose();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('greedy decoding without a prompt reproduces llama2.c expected-greedy.txt byte for byte', async () => {
    const expected = await readFile(join(STORIES, 'expected-greedy.txt'), 'utf8');
    const r = await gen.generate({ prompt: '', candidates: 1, sampling: SamplingOptions.parse({ maxTokens: 200, temperature: 0 }) });
    expect(r.candidates[0]!.text).toBe(expected);
    expect(r.candidates[0]!.tokens).toBe(200);
  });

  it('with prompts (one needing byte-fallback tokens) it equals a plain-TypeScript forward pass, token for token', async () => {
    for (const prompt of ['Once upon a time', 'The little dog saw a 🐶 in the park', 'Tom said, "Café?"']) {
      const ours = gen.encodePrompt(prompt);
      expect(ours).toEqual(encoder.encode(prompt));
      const reference = new Llama2cForward(checkpoint).greedy(ours, ours.length + 60);
      const run = await gen.run({ promptIds: ours, candidates: 1, sampling: SamplingOptions.parse({ maxTokens: 61, temperature: 0 }) });
      expect(run.rows[0]!.tokenIds).toEqual(reference);
    }
    // The emoji really is spelled with byte-fallback tokens (ids 3..258).
    expect(encoder.encode('🐶', false).filter((id) => id >= 3 && id < 259)).toHaveLength(4);
  });

  it('a prompt longer than one prefill chunk (256 tokens) still matches the reference', async () => {
    const prompt = 'Tom and Lily went to the park to play with a red ball. '.repeat(22);
    const ids = gen.encodePrompt(prompt);
    expect(ids.length).toBeGreaterThan(300);
    const reference = new Llama2cForward(checkpoint).greedy(ids, ids.length + 20);
    const run = await gen.run({ promptIds: ids, candidates: 2, sampling: SamplingOptions.parse({ maxTokens: 21, temperature: 0 }) });
    expect(run.rows[0]!.tokenIds).toEqual(reference);
    expect(run.rows[1]!.tokenIds).toEqual(reference);
  });

  it('rows that finish leave the batch (finished candidates stop costing compute)', async () => {
    const batchSizes: number[] = [];
    const step = gen.step.bind(gen);
    gen.step = (ids, past, pastLength) => {
      batchSizes.push(ids.length);
      return step(ids, past, pastLength);
    };
    try {
      const run = await gen.run({
        promptIds: gen.encodePrompt('Once upon a time'),
        candidates: 4,
        sampling: SamplingOptions.parse({ maxTokens: 60, temperature: 1, seed: 11, stop: ['.'] }),
      });
      const lengths = run.rows.map((r) => r.tokenIds.length);
      expect(new Set(lengths).size).toBeGreaterThan(1);
      const decodeSteps = batchSizes.slice(1); // the first call is the prefill (batch 1)
      expect(batchSizes[0]).toBe(1);
      // Each row is fed once per token it generated after its first (one more when it ended on EOS).
      const expectedFeeds = run.rows.reduce((n, r) => n + r.tokenIds.length - (r.finishReason === 'eos' ? 0 : 1), 0);
      expect(decodeSteps.reduce((a, b) => a + b, 0)).toBe(expectedFeeds);
      expect(Math.min(...decodeSteps)).toBeLessThan(4);
    } finally {
      gen.step = step;
    }
  });

  it('its tokenizer round-trips mixed text (ASCII, accents, CJK, emoji)', () => {
    const text = 'Lily said: "Crème brûlée, s\'il vous plaît!" 東京タワー 🎈🐶 — done.';
    expect(gen.tokenizer.decode(gen.encodePrompt(text))).toBe(text);
  });
});

describe('convert-llama2c bad input', () => {
  it('a truncated checkpoint names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lh-l2c-bad-'));
    try {
      const header = new Int32Array([64, 172, 5, 8, 4, 512, 512]);
      await writeFile(join(dir, 'ckpt.bin'), Buffer.concat([Buffer.from(header.buffer), Buffer.alloc(4000)]));
      await writeFile(join(dir, 'tok.bin'), Buffer.alloc(16));
      const err = await convertLlama2c(join(dir, 'ckpt.bin'), join(dir, 'tok.bin'), join(dir, 'out')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LonghandError);
      expect((err as LonghandError).apiError).toMatchObject({ code: 'bad_input', file: join(dir, 'ckpt.bin') });
      expect((err as LonghandError).message).toMatch(/truncated/);
      expect(fs.existsSync(join(dir, 'out'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
