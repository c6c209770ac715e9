import { describe, expect, it } from 'vitest';
import { conflicts, emptyLedger, extractFacts, factSentence, planFacts, record } from './ledger.ts';

describe('fact ledger', () => {
  it('extracts facts by pattern', () => {
    const facts = extractFacts("Anna's eyes are blue. Tom has red hair. Anna is 12 years old. Tom lives in Old Harbor. Anna's little dog barked.", ['Anna', 'Tom'], 'p1');
    expect(facts.map((f) => [f.entity, f.attribute, f.value])).toEqual([
      ['Anna', 'eyes', 'blue'],
      ['Tom', 'hair', 'red'],
      ['Anna', 'age', '12'],
      ['Tom', 'home', 'Old Harbor'.toLowerCase()],
    ]);
    expect(factSentence(facts[0]!)).toBe("Anna's eyes are blue.");
  });

  it('flags the planted contradiction and nothing else', () => {
    let ledger = record(emptyLedger(), extractFacts("Anna's eyes are blue.", ['Anna'], 'p1'));
    const later = extractFacts("She looked up. Anna's brown eyes filled with tears. Anna's eyes are blue as ever.", ['Anna'], 'p2');
    const found = conflicts(ledger, later);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ established: { value: 'blue' }, claim: { value: 'brown', sentence: "Anna's brown eyes filled with tears." }, certain: true });
    ledger = record(ledger, later);
    expect(ledger.facts.filter((f) => f.attribute === 'eyes').map((f) => f.value)).toEqual(['blue']);
    expect(conflicts(ledger, extractFacts("Anna's eyes are blue.", ['Anna'], 'p3'))).toHaveLength(0);
  });

  it('seeds facts from the plan', () => {
    expect(planFacts([{ id: 'e1', name: 'Anna', description: 'a keeper with green eyes', facts: ["Anna's hair is black"] }]).map((f) => f.value).sort()).toEqual(['black']);
  });
});

describe('generator-listed facts', () => {
  it('keeps only listed facts the passage supports', async () => {
    const { parseFactLines } = await import('./ledger.ts');
    const text = 'Anna walked in. Anna wore a green coat and lived in Oslo.';
    const facts = parseFactLines(' coat: green\n- home: Oslo.\n- eyes: blue\nnonsense line', 'Anna', text, 'p1');
    expect(facts.map((f) => [f.attribute, f.value, f.sentence])).toEqual([
      ['coat', 'green', 'Anna wore a green coat and lived in Oslo.'],
      ['home', 'oslo', 'Anna wore a green coat and lived in Oslo.'],
    ]);
  });
});
