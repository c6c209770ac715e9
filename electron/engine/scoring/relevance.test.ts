import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LonghandError } from '../errors.ts';
import { embeddedRelevanceModelDir } from './embedded.ts';
import { Relevance } from './relevance.ts';

let relevance: Relevance;
beforeAll(async () => {
  relevance = await Relevance.load(embeddedRelevanceModelDir());
});
afterAll(async () => relevance?.dispose());

function errorOf(fn: () => Promise<unknown>) {
  return fn().then(
    () => {
      throw new Error('expected an error');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(LonghandError);
      return (e as LonghandError).apiError;
    },
  );
}

describe('the embedded relevance model', () => {
  it('is committed with its license and provenance, and loads as a bi-encoder on the CPU', () => {
    const dir = embeddedRelevanceModelDir();
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'LICENSE', 'PROVENANCE.md']) {
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    }
    expect(fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8')).toMatch(/PDDL/);
    expect(relevance.model.kind).toBe('bi-encoder');
  });

  it('ranks the passage that realizes the outline point above unrelated ones', async () => {
    const point = 'Mara repairs the lighthouse lamp before the storm arrives.';
    const passages = [
      'The stock exchange fell sharply after the central bank raised interest rates again.',
      'She climbed the tower with a box of tools, replaced the cracked lens and relit the great light as the wind rose and rain lashed the glass.',
      'The bakery on the corner sold fresh bread and cakes every morning.',
      'The committee approved the new budget for road maintenance.',
    ];
    const s = await relevance.score(point, passages);
    expect(s.relevance.indexOf(Math.max(...s.relevance))).toBe(1);
    for (const r of s.relevance) expect(r).toBeLessThanOrEqual(0);
  });

  // The calibration is fitted on the tuning documents only; the held-out documents measure generalization
  // (bench/results/rerank.json: tuning 0.8125, holdout 0.7656 — the 80% aim is not yet met there).
  it('reaches ≥ 80% top-1 on the tuning documents and ≥ 70% on held-out ones (4 candidates per point, random = 25%)', async () => {
    const set = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../../bench/relevance-devset.json'), 'utf8')) as {
      documents: Array<{ split: 'tuning' | 'holdout'; points: Array<{ text: string; names: string[] }>; passages: string[] }>;
    };
    const tally = { tuning: { hits: 0, total: 0 }, holdout: { hits: 0, total: 0 } };
    for (const doc of set.documents) {
      for (const [i, point] of doc.points.entries()) {
        const { relevance: r } = await relevance.score(point.text, doc.passages, point.names);
        if (r.indexOf(Math.max(...r)) === i) tally[doc.split].hits++;
        tally[doc.split].total++;
      }
    }
    expect(tally.holdout.total).toBeGreaterThanOrEqual(64);
    expect(tally.tuning.hits / tally.tuning.total).toBeGreaterThanOrEqual(0.8);
    expect(tally.holdout.hits / tally.holdout.total).toBeGreaterThanOrEqual(0.7);
  });

  it('counts the names an outline point requires', async () => {
    const s = await relevance.score('Tobias confesses.', ['Tobias wept and told the truth.', 'Someone wept and told the truth.']);
    expect(s.names).toEqual([1, 0]);
    expect(s.relevance[0]).toBeGreaterThan(s.relevance[1]!);
  });

  it('scores 1 MB passages, non-English text and unknown words without failing', async () => {
    const big = 'The storm broke over the harbor. '.repeat(32_000);
    const s = await relevance.score('a storm at the harbor', [big, '暴風雨が港を襲った。', '🙂🙂🙂', 'zxqv wplk']);
    for (const r of s.relevance) expect(Number.isFinite(r)).toBe(true);
    expect(s.raw[0]).toBeGreaterThan(0.5);
    expect(s.raw[3]).toBe(0);
  });

  it('rejects an empty passage list, an empty passage and an empty query, naming the field', async () => {
    expect((await errorOf(() => relevance.score('q', []))).field).toBe('passages');
    const e = await errorOf(() => relevance.score('q', ['fine', '   ']));
    expect(e.code).toBe('bad_input');
    expect(e.field).toBe('passages.1');
    expect((await errorOf(() => relevance.score('', ['x']))).field).toBe('query');
  });
});
