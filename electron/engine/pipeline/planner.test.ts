import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertLlama2c } from '../../../models/builder/llama2c.ts';
import { LonghandError } from '../errors.ts';
import { OnnxGenerator } from '../inference/generator.ts';
import { containsPlaceholder } from './filter.ts';
import { Planner } from './planner.ts';
import { defaultTemplate } from './templates.ts';
import { storyPlan, tempDir } from './testing.ts';

const stories = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'models', 'stories260k');
const present = fs.existsSync(path.join(stories, 'stories260K.bin'));
if (!present) console.log(`planner.test: skipped — the real TinyStories model is not at ${stories}`);

describe.skipIf(!present)('planning with the real stories260K model', () => {
  let generator: OnnxGenerator;
  beforeAll(async () => {
    const dir = tempDir('lh-planner-');
    await convertLlama2c(path.join(stories, 'stories260K.bin'), path.join(stories, 'tok512.bin'), dir);
    generator = await OnnxGenerator.load(dir);
  });

  it('writes characters with real, distinct names and no placeholders', async () => {
    const plan = { ...storyPlan(), characters: [] };
    const next = await new Planner(generator, defaultTemplate('story'), { seed: 5, characters: 3 }).part(plan, 'characters');
    expect(next.characters.length).toBe(3);
    const names = next.characters.map((c) => c.name);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
    for (const n of names) {
      expect(n).toMatch(/^\p{Lu}[\p{L}'’-]*(\s\p{Lu}[\p{L}'’-]*){0,2}$/u);
      expect(containsPlaceholder(n)).toBe(false);
    }
    expect(next.outline).toEqual(plan.outline);
  });

  it('writes a setting that does not repeat the premise, or says clearly that it cannot', async () => {
    const plan = { ...storyPlan(), setting: '' };
    const next = await new Planner(generator, defaultTemplate('story'), { seed: 6 }).part(plan, 'setting').catch((e: unknown) => e);
    if (next instanceof LonghandError) expect(next.apiError).toMatchObject({ code: 'bad_input', field: 'setting' });
    else {
      const setting = (next as typeof plan).setting;
      expect(setting.trim().length).toBeGreaterThan(0);
      expect(setting).not.toBe(plan.premise);
    }
  });

  it("refuses an outline that isn't exactly the requested number of distinct points (a tiny model can't write one)", async () => {
    const plan = { ...storyPlan(), outline: [] };
    const err = await new Planner(generator, defaultTemplate('story'), { seed: 7, outlinePoints: 5 }).part(plan, 'outline').then(
      (p) => p,
      (e: unknown) => e,
    );
    if (err instanceof LonghandError) expect(err.apiError).toMatchObject({ code: 'bad_input', field: 'outline', hint: expect.stringContaining('Write the outline yourself') });
    else expect((err as typeof plan).outline).toHaveLength(5);
  });
});
