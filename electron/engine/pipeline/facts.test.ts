import { describe, expect, it } from 'vitest';
import { OnnxGenerator } from '../inference/generator.ts';
import { factExtractor, patternExtractor } from './facts.ts';
import { defaultTemplate } from './templates.ts';
import { tinyModelDir } from './testing.ts';

describe('fact extraction choice', () => {
  it('uses patterns for a model too small to follow the extraction prompt', async () => {
    const g = await OnnxGenerator.load(await tinyModelDir());
    const extract = factExtractor(g, defaultTemplate('story').revise.extract);
    expect(extract).toBe(patternExtractor);
    expect((await extract("Anna's eyes are blue.", ['Anna'], 'p')).map((f) => f.value)).toEqual(['blue']);
  });
});
