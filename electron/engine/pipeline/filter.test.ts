import { describe, expect, it } from 'vitest';
import { cleanName, filterSamples, firstSentence, leastRepetitive, parseOutline } from './filter.ts';

const premise = 'A young baker discovers that her bread can make people tell the truth.';

describe('Re3 plan filtering', () => {
  it('drops empty, duplicate, placeholder and premise-repeating samples', () => {
    const kept = filterSamples(
      [
        '',
        '   ',
        'a small mountain town in winter.',
        'A small mountain town in winter!',
        'an unknown place.',
        'the home of the protagonist.',
        'a young baker discovers that her bread can make people tell the truth',
        'a busy harbour city.',
      ],
      { premise },
    );
    expect(kept).toEqual(['a small mountain town in winter.', 'a busy harbour city.']);
  });

  it('keeps the first sentence only', () => {
    expect(firstSentence(' a quiet village. Then the story begins.\nMore')).toBe('a quiet village.');
    expect(firstSentence('no stop here')).toBe('no stop here');
  });

  it('accepts names, refuses placeholders and lowercase words', () => {
    expect(cleanName(' Anna Weber, who')).toBe('Anna Weber');
    expect(cleanName('Protagonist')).toBeNull();
    expect(cleanName('the baker')).toBeNull();
    expect(cleanName("Tom's")).toBe('Tom');
  });

  it('accepts an outline only with the requested number of distinct items', () => {
    const good = '1. Mia bakes her first loaf.\n2. The mayor eats it and confesses.\n3. The town turns against Mia.\nThe end';
    expect(parseOutline(good, 3, premise)).toEqual(['Mia bakes her first loaf.', 'The mayor eats it and confesses.', 'The town turns against Mia.']);
    expect(parseOutline(good, 4, premise)).toBeNull();
    expect(parseOutline('1. Mia bakes bread today.\n2. Mia bakes bread today.\n3. Something else happens.', 3)).toBeNull();
    expect(parseOutline('1. Mia bakes.\n2. \n3. End.', 3)).toBeNull();
    expect(parseOutline(`1. ${premise}\n2. The mayor confesses.\n3. The end comes.`, 3, premise)).toBeNull();
    expect(parseOutline('1. One thing happens.\n3. Skipped numbering here.\n4. Another.', 3)).toBeNull();
  });

  it('prefers the least repetitive portrait', () => {
    expect(leastRepetitive(['a baker a baker a baker', 'a kind baker with red hair'])).toBe('a kind baker with red hair');
  });
});
