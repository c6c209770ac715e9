import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEncoderFolder } from '../../../models/builder/classifier.ts';
import { Engine } from '../engine.ts';
import { LonghandError } from '../errors.ts';
import { OnnxGenerator } from '../inference/generator.ts';
import { loadClassifier } from '../scoring/classifier.ts';
import { generatorJudge, nliJudge } from './judge.ts';
import { defaultTemplate } from './templates.ts';
import { tempDir, tinyModelDir } from './testing.ts';

let nliDir: string;
let engine: Engine;
beforeAll(async () => {
  nliDir = tempDir('lh-nli-');
  await buildEncoderFolder({ kind: 'cross-encoder', out: nliDir, labels: ['entailment', 'neutral', 'contradiction'], seed: 3 });
  engine = new Engine({ host: 'inprocess', home: fs.mkdtempSync(path.join(os.tmpdir(), 'lh-judge-')) });
});
afterAll(() => engine.dispose());

describe('contradiction judges', () => {
  it('NLI: contradiction when that label is the most probable (a builder NLI cross-encoder)', async () => {
    const m = await loadClassifier(nliDir);
    if (m.kind !== 'cross-encoder') throw new Error('expected a cross-encoder');
    const judge = nliJudge(m.model);
    const pairs: Array<[string, string]> = [["Anna's eyes are blue.", "Anna's brown eyes shone."], ['The sea was calm.', 'The storm raged.'], ['Tom is 12.', 'Tom is 12.']];
    const probs = await m.model.classify(pairs);
    for (const [i, [fact, claim]] of pairs.entries()) {
      const r = await judge.contradicts(fact, claim);
      expect(r.confidence).toBeCloseTo(probs[i]![2]!, 5);
      expect(r.contradicts).toBe(probs[i]![2]! >= Math.max(...probs[i]!));
    }
  });

  it('refuses a classifier without a contradiction label', async () => {
    const dir = tempDir('lh-nli-bad-');
    await buildEncoderFolder({ kind: 'cross-encoder', out: dir, labels: ['LABEL_0', 'LABEL_1'], seed: 1 });
    const m = await loadClassifier(dir);
    if (m.kind !== 'cross-encoder') throw new Error('expected a cross-encoder');
    try {
      nliJudge(m.model);
      expect.unreachable();
    } catch (err) {
      expect((err as LonghandError).apiError).toMatchObject({ code: 'bad_input', message: expect.stringContaining('contradiction') });
    }
  });

  it('uses the model holding the nli role when there is one, else the generator', async () => {
    const g = await OnnxGenerator.load(await tinyModelDir());
    const template = defaultTemplate('story').revise.judge;
    const fallback = await engine.services.pipeline.judge(g, template);
    const answer = await fallback.contradicts('The sea was calm.', 'The storm raged.');
    const direct = await generatorJudge(g, template).contradicts('The sea was calm.', 'The storm raged.');
    expect(answer).toEqual(direct);
    const installedModel = await engine.request('models.import', { dir: nliDir, role: 'nli' });
    await engine.request('models.use', { role: 'nli', id: installedModel.id });
    const installed = await engine.services.pipeline.judge(g, template);
    const m = await loadClassifier(nliDir);
    if (m.kind !== 'cross-encoder') throw new Error('expected a cross-encoder');
    const [probs] = await m.model.classify([['The sea was calm.', 'The storm raged.']]);
    expect((await installed.contradicts('The sea was calm.', 'The storm raged.')).confidence).toBeCloseTo(probs![2]!, 5);
  });
});
