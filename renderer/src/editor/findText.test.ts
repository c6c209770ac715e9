import { describe, expect, it } from 'vitest';
import { findAll, replaceAllIn } from './findText.ts';

describe('find/replace text', () => {
  it('finds literally and case-insensitively, including regex characters and CJK', () => {
    expect(findAll('The cat. the CAT? (the)', 'the')).toEqual([[0, 3], [9, 12], [19, 22]]);
    expect(findAll('a.b a+b', 'a+b')).toEqual([[4, 7]]);
    expect(findAll('我爱写作，写作爱我', '写作')).toEqual([[2, 4], [5, 7]]);
    expect(findAll('anything', '')).toEqual([]);
  });
  it('replaces every match and counts them; "$" in the replacement is literal', () => {
    expect(replaceAllIn('Anna met anna.', 'anna', 'Maria')).toEqual({ text: 'Maria met Maria.', count: 2 });
    expect(replaceAllIn('cost', 'cost', '$5 $&')).toEqual({ text: '$5 $&', count: 1 });
  });
});
