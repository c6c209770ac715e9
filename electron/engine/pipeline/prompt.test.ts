import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxGenerator } from '../inference/generator.ts';
import { LonghandError } from '../errors.ts';
import { leaves } from './outline.ts';
import { buildDraftPrompt, type DraftPromptInput } from './prompt.ts';
import { defaultTemplate } from './templates.ts';
import { storyPlan, tinyModelDir } from './testing.ts';

let count: (t: string) => number;
beforeAll(async () => {
  const g = await OnnxGenerator.load(await tinyModelDir());
  count = (t) => g.countTokens(t);
});

const story = (words: number) => Array.from({ length: words }, (_, i) => `word${i % 97}`).join(' ') + ' THE-END-MARK.';

function input(over: Partial<DraftPromptInput> = {}): DraftPromptInput {
  const plan = storyPlan();
  const ls = leaves(plan.outline);
  return {
    template: defaultTemplate('story'),
    plan,
    leaf: ls[1]!,
    isLast: false,
    context: ['Anna: a kind girl with blue eyes.', 'Tom: her brother.'],
    earlier: ['Anna finds a dog in the park.'],
    previous: 'Anna finds a dog in the park.',
    textSoFar: story(200),
    budget: 400,
    countTokens: count,
    ...over,
  };
}

describe('draft prompt (real tokenizer)', () => {
  it("keeps Re3's order and the end of the text", () => {
    const { prompt, tokens } = buildDraftPrompt(input());
    expect(tokens).toBeLessThanOrEqual(400);
    expect(tokens).toBe(count(prompt));
    const order = ['Premise:', 'Relevant context:', 'Story so far:', 'Just before:', 'In the upcoming passage, She takes the dog home. — Tom sees the dog.'].map((s) => prompt.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(prompt.endsWith('THE-END-MARK.')).toBe(true);
  });

  it('does not grow with the document, whatever the sizes of its parts', () => {
    const sizes = [100, 1_000, 20_000].map((w) =>
      buildDraftPrompt(input({ textSoFar: story(w), earlier: Array.from({ length: w / 10 }, (_, i) => `point ${i} happens here`), context: Array.from({ length: 50 }, (_, i) => `Fact ${i}: something long about the town and its people.`), budget: 200 })).tokens,
    );
    for (const t of sizes) expect(t).toBeLessThanOrEqual(200);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(6);
    const huge = buildDraftPrompt(input({ budget: 200, plan: { ...storyPlan(), premise: 'A very long premise. '.repeat(9000) } }));
    expect(huge.tokens).toBeLessThanOrEqual(200);
    expect(huge.prompt.endsWith('THE-END-MARK.')).toBe(true);
  });

  it('states violated facts first in the context', () => {
    const { prompt } = buildDraftPrompt(input({ mustKeep: ["Anna's eyes are blue."] }));
    expect(prompt).toContain("Relevant context:\nKeep this fact true: Anna's eyes are blue.");
  });

  it('refuses a budget too small for the template and the point', () => {
    try {
      buildDraftPrompt(input({ budget: 20 }));
      expect.unreachable();
    } catch (err) {
      expect((err as LonghandError).apiError).toMatchObject({ code: 'limit', field: 'promptTokenBudget' });
    }
  });
});
