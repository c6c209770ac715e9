import { describe, expect, it } from 'vitest';
import { nameCoverage, namesIn } from './names.ts';

describe('names', () => {
  it('takes capitalized names from an outline point, not imperative verbs or articles', () => {
    expect(namesIn('Captain Reyes sails away at dawn, leaving Mara on the island.')).toEqual(['Captain Reyes', 'Mara']);
    expect(namesIn('Explain how bees cluster in winter.')).toEqual([]);
    expect(namesIn('The thief meets Inspector Hale.')).toEqual(['Inspector Hale']);
  });

  it('measures the share of required names a passage mentions, by whole words', () => {
    expect(nameCoverage('Reyes stood at the stern.', ['Captain Reyes', 'Mara'])).toBe(0.5);
    expect(nameCoverage('Maranatha sang.', ['Mara'])).toBe(0);
    expect(nameCoverage('Anything', [])).toBe(0);
  });
});
