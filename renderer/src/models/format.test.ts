import { describe, expect, it } from 'vitest';
import { formatBytes, formatEta, percent } from './format.ts';

describe('models dialog formatting', () => {
  it('formats sizes, ETAs and percentages', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(24 * 2 ** 20)).toBe('24.0 MB');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.50 GB');
    expect(formatBytes(-1)).toBe('—');
    expect(formatEta(undefined)).toBe('');
    expect(formatEta(59.6)).toBe('1m 00s');
    expect(formatEta(3725)).toBe('1h 02m');
    expect(percent(50, 200)).toBe(25);
    expect(percent(5, 0)).toBe(0);
    expect(percent(300, 200)).toBe(100);
  });
});
