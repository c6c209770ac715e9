import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEncoderFolder, bertTokenizerJson, wordPieceVocab } from '../../../models/builder/classifier.ts';
import { buildTestModel } from '../../../models/builder/build-test-model.ts';
import { GraphBuilder, writeOnnxModel } from '../../../models/builder/onnx.ts';
import { LonghandError } from '../errors.ts';
import { cosine, loadClassifier, type LoadedClassifier } from './classifier.ts';
import { ClassifierTokenizer, keepEnds } from './encode.ts';

let tmp: string;
let cross: LoadedClassifier;
let bi: LoadedClassifier;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lh-classifier-'));
  await buildEncoderFolder({ kind: 'cross-encoder', out: path.join(tmp, 'cross'), labels: ['not_relevant', 'relevant'] });
  await buildEncoderFolder({ kind: 'bi-encoder', out: path.join(tmp, 'bi') });
  cross = await loadClassifier(path.join(tmp, 'cross'), { providers: ['cpu'] });
  bi = await loadClassifier(path.join(tmp, 'bi'), { providers: ['cpu'] });
});

afterAll(async () => {
  await cross?.model.dispose();
  await bi?.model.dispose();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function apiError(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LonghandError);
  return (err as LonghandError).apiError;
}

const PAIRS: Array<[string, string]> = [
  ['the storm', 'the ship was lost at sea in the storm'],
  ['bees and honey', 'honey ' + 'bees and flowers '.repeat(400)],
  ['a lamp', 'b'],
];

describe('cross-encoder built by the model builder', () => {
  it('loads as a PairClassifier with the labels of config.json and returns probabilities per pair', async () => {
    expect(cross.kind).toBe('cross-encoder');
    if (cross.kind !== 'cross-encoder') return;
    expect(cross.model.labels).toEqual(['not_relevant', 'relevant']);
    expect(cross.model.positiveIndex()).toBe(1);
    const probs = await cross.model.classify(PAIRS);
    expect(probs).toHaveLength(3);
    for (const row of probs) {
      expect(row).toHaveLength(2);
      expect(row[0]! + row[1]!).toBeCloseTo(1, 6);
    }
    // Different inputs, different outputs: the pair really went through the network.
    expect(probs[0]![1]).not.toBeCloseTo(probs[2]![1]!, 6);
  });

  it('scores a pair the same alone and inside a padded batch (the attention mask works)', async () => {
    if (cross.kind !== 'cross-encoder') throw new Error('kind');
    const batch = await cross.model.classify(PAIRS);
    for (let i = 0; i < PAIRS.length; i++) {
      const [alone] = await cross.model.classify([PAIRS[i]!]);
      expect(alone![1]).toBeCloseTo(batch[i]![1]!, 5);
    }
  });

  it('gives a single-logit head (ms-marco style) one sigmoid score', async () => {
    const dir = path.join(tmp, 'single');
    await buildEncoderFolder({ kind: 'cross-encoder', out: dir, seed: 3 });
    const m = await loadClassifier(dir, { providers: ['cpu'] });
    if (m.kind !== 'cross-encoder') throw new Error('kind');
    expect(m.model.labels).toEqual(['score']);
    const [[p]] = (await m.model.classify([['q', 'a passage']])) as [[number]];
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    await m.model.dispose();
  });
});

describe('bi-encoder built by the model builder', () => {
  it('embeds texts to unit vectors, the same alone or batched', async () => {
    if (bi.kind !== 'bi-encoder') throw new Error('kind');
    const texts = ['the storm', 'the ship was lost at sea in the storm', 'x', 'honey '.repeat(2000)];
    const batch = await bi.model.embed(texts);
    expect(batch).toHaveLength(4);
    for (const v of batch) {
      expect(v).toHaveLength(32);
      expect(cosine(v, v)).toBeCloseTo(1, 5);
    }
    const [alone] = await bi.model.embed([texts[0]!]);
    expect(cosine(alone!, batch[0]!)).toBeCloseTo(1, 5);
    expect(cosine(batch[0]!, batch[2]!)).toBeLessThan(0.999);
  });
});

describe('truncation keeps the start and the end of a long passage', () => {
  it('cuts the middle of the passage to fit the model', () => {
    const vocab = wordPieceVocab(600);
    const { tokenizer, tokenizerConfig } = bertTokenizerJson(vocab);
    const tok = new ClassifierTokenizer(tokenizer, tokenizerConfig as Record<string, unknown>, 64);
    const id = (w: string) => vocab.indexOf(w);
    const e = tok.encodePair('storm at sea', 'apple ' + 'tree '.repeat(5000) + 'honey');
    expect(e.ids).toHaveLength(64);
    expect(e.ids[0]).toBe(id('[CLS]'));
    expect(e.ids.at(-1)).toBe(id('[SEP]'));
    expect(e.ids.at(-2)).toBe(id('honey'));
    expect(e.ids).toContain(id('apple'));
    expect(e.typeIds.at(-1)).toBe(1);
    expect(e.ids.slice(1, 4)).toEqual([id('storm'), id('at'), id('sea')]);
    expect(keepEnds([1, 2, 3, 4, 5], 3)).toEqual([1, 2, 5]);
  });
});

describe('the wrong kind of model folder', () => {
  it('rejects a decoder (text generator) given as a classifier, with a hint', async () => {
    const dir = path.join(tmp, 'decoder');
    await buildTestModel({ arch: 'llama', out: dir, size: 'tiny' });
    const e = await apiError(loadClassifier(dir, { providers: ['cpu'] }));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/text-generation \(decoder\) model/);
    expect(e.hint).toMatch(/cross-encoder/);
  });

  it('rejects an ONNX graph that takes a KV cache even when config.json claims an encoder', async () => {
    const dir = path.join(tmp, 'disguised');
    await buildEncoderFolder({ kind: 'bi-encoder', out: dir });
    const g = new GraphBuilder('kv');
    g.input('input_ids', 'int64', ['b', 's']);
    g.input('past_key_values.0.key', 'float32', ['b', 2, 'p', 4]);
    g.node('Identity', ['past_key_values.0.key'], ['last_hidden_state']);
    g.output('last_hidden_state', 'float32', ['b', 2, 'p', 4]);
    await writeOnnxModel(path.join(dir, 'onnx', 'model.onnx'), g, { opset: 17 });
    const e = await apiError(loadClassifier(dir, { providers: ['cpu'] }));
    expect(e.message).toMatch(/KV cache/);
  });

  it('names the missing file or the truncated model', async () => {
    expect((await apiError(loadClassifier(path.join(tmp, 'nowhere')))).code).toBe('not_found');
    const dir = path.join(tmp, 'broken');
    await buildEncoderFolder({ kind: 'bi-encoder', out: dir });
    const onnx = path.join(dir, 'onnx', 'model.onnx');
    const bytes = await fs.readFile(onnx);
    await fs.writeFile(onnx, bytes.subarray(0, bytes.length >> 1));
    const e = await apiError(loadClassifier(dir, { providers: ['cpu'] }));
    expect(e.code).toBe('bad_input');
    expect(e.file).toBe(onnx);
    await fs.rm(path.join(dir, 'tokenizer.json'));
    const noTok = await apiError(loadClassifier(dir, { providers: ['cpu'] }));
    expect(noTok.message).toMatch(/tokenizer\.json/);
  });
});
