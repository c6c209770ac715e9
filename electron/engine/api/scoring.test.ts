import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildEncoderFolder } from '../../../models/builder/classifier.ts';
import { buildTestModel } from '../../../models/builder/build-test-model.ts';
import { Engine } from '../engine.ts';
import { embeddedRelevanceModelDir } from '../scoring/embedded.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-score-api-'));
const engine = new Engine({ host: 'inprocess', home: path.join(tmp, 'home') });
afterAll(async () => {
  await engine.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const QUERY = 'Tobias admits he forged the shipping records.';
const PASSAGES = ['Tobias put his head in his hands: "The ledgers are false. I changed every cargo list."', 'The schooner slipped her moorings at dawn.'];

describe('score.rerank', () => {
  it('reranks with the embedded model by default and reports model and weights', async () => {
    const reply = await engine.call('score.rerank', { query: QUERY, passages: PASSAGES, kind: 'report' });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const r = reply.result as { winner: number; model: { dir: string; kind: string; provider: string }; weights: { relevance: number }; details: unknown[] };
    expect(r.winner).toBe(0);
    expect(r.model).toEqual({ dir: embeddedRelevanceModelDir(), kind: 'bi-encoder', provider: 'cpu' });
    expect(r.weights.relevance).toBe(1.5);
    expect(r.details).toHaveLength(2);
  });

  it('uses a model folder given per request (a cross-encoder built by the builder), then switches back', async () => {
    const dir = path.join(tmp, 'cross');
    await buildEncoderFolder({ kind: 'cross-encoder', out: dir, labels: ['irrelevant', 'relevant'] });
    const reply = await engine.call('score.rerank', { query: QUERY, passages: PASSAGES, model: dir });
    expect(reply.ok && (reply.result as { model: { kind: string } }).model.kind).toBe('cross-encoder');
    const back = await engine.call('score.rerank', { query: QUERY, passages: PASSAGES });
    expect(back.ok && (back.result as { model: { kind: string } }).model.kind).toBe('bi-encoder');
  });

  it('answers bad input with errors, and keeps working afterwards', async () => {
    const empty = await engine.call('score.rerank', { query: QUERY, passages: [] });
    expect(!empty.ok && empty.error.code).toBe('invalid_request');
    const blank = await engine.call('score.rerank', { query: QUERY, passages: ['x', ''] });
    expect(!blank.ok && blank.error.field).toBe('passages.1');
    const mismatch = await engine.call('score.rerank', { query: QUERY, passages: PASSAGES, meanLogprobs: [-1] });
    expect(!mismatch.ok && mismatch.error.field).toBe('meanLogprobs');
    const decoderDir = path.join(tmp, 'decoder');
    await buildTestModel({ arch: 'gpt2', out: decoderDir, size: 'tiny' });
    const decoder = await engine.call('score.rerank', { query: QUERY, passages: PASSAGES, model: decoderDir });
    expect(!decoder.ok && decoder.error.code).toBe('bad_input');
    expect(!decoder.ok && decoder.error.message).toMatch(/decoder/);
    const again = await engine.call('score.rerank', { query: QUERY, passages: PASSAGES });
    expect(again.ok).toBe(true);
  });
});
