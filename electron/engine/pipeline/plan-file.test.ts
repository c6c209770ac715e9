import { describe, expect, it } from 'vitest';
import { LonghandError } from '../errors.ts';
import { exportPlan, importPlan } from './plan-file.ts';

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof LonghandError) return err.apiError;
    throw err;
  }
  throw new Error('expected an error');
}

describe('plan files', () => {
  it('imports the documented story example and reports missing parts', () => {
    const { plan, missing } = importPlan(
      JSON.stringify({
        kind: 'story',
        premise: 'A lighthouse keeper finds a message in a bottle.',
        title: 'The Bottle',
        characters: [{ name: 'Anna', description: 'the keeper' }],
        outline: ['Anna finds the bottle.', { text: 'She sails out.', children: ['The storm.', 'The island.'] }],
      }),
    );
    expect(plan.outline.map((p) => p.id)).toEqual(['1', '2']);
    expect(plan.outline[1]!.children.map((p) => p.id)).toEqual(['2.1', '2.2']);
    expect(plan.characters[0]).toMatchObject({ id: 'e1', name: 'Anna', description: 'the keeper', facts: [] });
    expect(missing).toEqual(['setting']);
  });

  it('round-trips reports through export and import', () => {
    const { plan } = importPlan(JSON.stringify({ kind: 'report', brief: 'Q3 sales review', audience: 'the board', keyFacts: ['Sales rose 4%'], outline: ['Summary', 'Regions'], targetWords: 800 }));
    expect(plan.setting).toBe('the board');
    const again = importPlan(JSON.stringify(exportPlan(plan)));
    expect(again.plan).toEqual(plan);
  });

  it('gives clear errors for missing fields, zero points, a 1 MB premise, bad JSON and unknown fields', () => {
    expect(errorOf(() => importPlan('{"kind":"story","outline":["a"]}', 'my.json'))).toMatchObject({ code: 'bad_input', field: 'premise', file: 'my.json' });
    expect(errorOf(() => importPlan('{"premise":"x","outline":["a"]}'))).toMatchObject({ code: 'bad_input', field: 'kind' });
    expect(errorOf(() => importPlan('{"kind":"story","premise":"x"}'))).toMatchObject({ field: 'outline' });
    expect(errorOf(() => importPlan('{"kind":"story","premise":"x","outline":[]}'))).toMatchObject({ field: 'outline', message: expect.stringContaining('no points') });
    expect(errorOf(() => importPlan(JSON.stringify({ kind: 'story', premise: 'x'.repeat(1_000_000), outline: ['a'] })))).toMatchObject({ field: 'premise', message: expect.stringContaining('200000') });
    expect(errorOf(() => importPlan('{"kind":'))).toMatchObject({ code: 'bad_input', message: expect.stringContaining('not valid JSON') });
    expect(errorOf(() => importPlan('{"kind":"story","premise":"x","outline":["a"],"charcters":[]}'))).toMatchObject({ code: 'bad_input' });
    expect(errorOf(() => importPlan('{"kind":"story","premise":"x","outline":[{"text":""}]}'))).toMatchObject({ field: 'outline.0.text' });
  });
});
