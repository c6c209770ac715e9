import { describe, expect, it } from 'vitest';
import { tidyPassage } from './draft.ts';

describe('tidyPassage', () => {
  it('cuts a trailing unfinished sentence when most of the text is kept', () => {
    expect(tidyPassage('Anna ran to the woods. She called for Max. Then the')).toBe('Anna ran to the woods. She called for Max.');
  });

  it('keeps text whose only sentence end is early', () => {
    expect(tidyPassage('Yes. and then she walked on and on into the dark woods without')).toBe('Yes. and then she walked on and on into the dark woods without');
  });

  it('joins a line of bare punctuation to the line before it', () => {
    expect(tidyPassage('Mom said, "Don\'t worry, we can finish this.\n"\nThey looked at the cat.')).toBe('Mom said, "Don\'t worry, we can finish this."\nThey looked at the cat.');
  });
});
