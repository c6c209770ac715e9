/** Plain-text search used by find/replace: case-insensitive, literal (no regex syntax from the person). */
export function literalPattern(query: string): RegExp {
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
}

export function findAll(text: string, query: string): Array<[start: number, end: number]> {
  if (!query) return [];
  return [...text.matchAll(literalPattern(query))].map((m) => [m.index, m.index + m[0].length]);
}

export function replaceAllIn(text: string, query: string, replacement: string): { text: string; count: number } {
  if (!query) return { text, count: 0 };
  let count = 0;
  const out = text.replace(literalPattern(query), () => {
    count++;
    return replacement;
  });
  return { text: out, count };
}
