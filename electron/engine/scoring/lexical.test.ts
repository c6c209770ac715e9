import { describe, expect, it } from 'vitest';
import { lexicalOverlap, wordWeight } from './lexical.ts';

describe('lexical overlap', () => {
  it('weighs rare words far above function words', () => {
    expect(wordWeight('the')).toBeLessThan(0.1);
    expect(wordWeight('ledger')).toBeGreaterThan(0.9);
  });

  it("counts the point's distinctive words (stemmed) that the passage uses", () => {
    const point = 'Tobias admits he forged the shipping records.';
    const hit = lexicalOverlap(point, 'The clerk confessed: he had been forging records for every shipment.');
    const miss = lexicalOverlap(point, 'The schooner slipped her moorings at dawn and the captain did not look back.');
    expect(hit).toBeGreaterThan(0.4);
    expect(miss).toBeLessThan(0.1);
    expect(lexicalOverlap('', 'anything')).toBe(0);
  });
});
