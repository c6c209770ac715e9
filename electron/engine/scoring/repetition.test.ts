import { describe, expect, it } from 'vitest';
import { narrativePerson, repetition } from './repetition.ts';

const CLEAN =
  'The rain had stopped by the time Mara reached the harbor. She tied the boat to the iron ring and climbed the slick stairs, ' +
  'counting the lights of the village above. Somewhere a dog barked twice and fell silent. Her brother was waiting by the ' +
  'warehouse door with a lantern, and he did not smile when he saw her.';

describe('repetition heuristics', () => {
  it('finds nothing to penalize in a clean third-person passage', () => {
    const r = repetition(CLEAN, { prefix: 'Mara had lived on the island all her life. She knew every rock of its shore.' });
    expect(r.penalty).toBeLessThan(0.05);
    expect(r.meta).toEqual([]);
    expect(r.personShift).toBeNull();
  });

  it('catches a planted loop: repeated 5-grams and near-duplicate sentences', () => {
    const loop = 'She walked to the door and looked outside at the sea. '.repeat(4) + 'Then she went to bed.';
    const r = repetition(loop);
    expect(r.selfOverlap).toBeGreaterThan(0.5);
    expect(r.duplicateSentences).toBeGreaterThan(0.5);
    expect(r.penalty).toBeGreaterThan(1);
  });

  it('catches text copied from the prompt, and a sentence repeated from the story so far', () => {
    const prompt = `Premise: a keeper's daughter. In the upcoming passage, Mara finds a letter. Story so far: ${CLEAN}`;
    const copied = repetition(CLEAN, { prompt });
    expect(copied.promptOverlap).toBeGreaterThan(0.9);
    const echoed = repetition('Somewhere a dog barked twice and fell silent. The wind rose over the dark water.', { prefix: CLEAN });
    expect(echoed.duplicateSentences).toBe(0.5);
  });

  it('catches meta text: chapter headings, summaries, numbered lists, outline echoes', () => {
    const r = repetition('Chapter 3: The Letter\n\nSummary: Mara finds a letter.\n1. She opens it.\n2. She reads it.\nIn the upcoming passage, she runs.');
    expect(r.meta.join(' | ')).toMatch(/Chapter 3/);
    expect(r.meta.join(' | ')).toMatch(/Summary:/);
    expect(r.meta.some((m) => m.startsWith('1.'))).toBe(true);
    expect(r.meta.join(' | ')).toMatch(/upcoming passage/);
    expect(r.penalty).toBeGreaterThanOrEqual(1);
    // In reports and articles lists are ordinary text.
    expect(repetition('Findings:\n1. Costs rose.\n2. Waits fell.', { allowLists: true, person: 'off' }).meta).not.toContainEqual('1. Costs rose.');
  });

  it('flags a shift of narrative person, but not first-person speech inside quotes', () => {
    const first = 'I walked down to the harbor and I saw my brother waiting for me by the door, and I knew we had to leave.';
    const r = repetition(first, { prefix: CLEAN });
    expect(r.personShift).toEqual({ expected: 'third', found: 'first' });
    const speech = '"I will not go," she said. "I am staying here with my father." Her brother shook his head and walked away into the rain.';
    expect(repetition(speech, { prefix: CLEAN }).personShift).toBeNull();
    expect(narrativePerson('You open the door. You see a long corridor and you hear your own footsteps echo.')).toBe('second');
    expect(repetition(first, { prefix: CLEAN, person: 'off' }).personShift).toBeNull();
  });

  it('handles a 1 MB passage without blowing up (finite, bounded penalty)', () => {
    const big = (CLEAN + ' ').repeat(Math.ceil(1_000_000 / CLEAN.length)).slice(0, 1_000_000);
    const r = repetition(big, { prompt: CLEAN, prefix: CLEAN });
    expect(Number.isFinite(r.penalty)).toBe(true);
    expect(r.selfOverlap).toBeGreaterThan(0.9);
  });

  it('scores empty and punctuation-only text as clean rather than failing', () => {
    expect(repetition('').penalty).toBe(0);
    expect(repetition('... !!! ???').penalty).toBe(0);
  });
});
