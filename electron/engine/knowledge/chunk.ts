import { countWords } from '../pipeline/length.ts';

/**
 * Splits a reference document into chunks of about `maxWords` (paragraphs kept whole where they fit, long ones
 * cut at sentence ends) so each chunk can be embedded and retrieved on its own.
 */
export function chunkText(text: string, maxWords = 120): string[] {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const pieces = paragraphs.flatMap((p) => (countWords(p) <= maxWords ? [p] : splitLong(p, maxWords)));
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current && countWords(current) + countWords(piece) > maxWords) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${piece}` : piece;
  }
  if (current) chunks.push(current);
  return chunks;
}

function splitLong(paragraph: string, maxWords: number): string[] {
  const sentences = paragraph.split(/(?<=[.!?。！？])\s+/u);
  const out: string[] = [];
  let current = '';
  for (const s of sentences) {
    const pieces = countWords(s) > maxWords ? hardSplit(s, maxWords) : [s];
    for (const piece of pieces) {
      if (current && countWords(current) + countWords(piece) > maxWords) (out.push(current), (current = ''));
      current = current ? `${current} ${piece}` : piece;
    }
  }
  if (current) out.push(current);
  return out;
}

function hardSplit(text: string, maxWords: number): string[] {
  const words = text.split(/\s+/);
  if (words.length > 1) {
    const out: string[] = [];
    for (let i = 0; i < words.length; i += maxWords) out.push(words.slice(i, i + maxWords).join(' '));
    return out;
  }
  // No spaces (CJK): cut by characters.
  const out: string[] = [];
  for (let i = 0; i < text.length; i += maxWords) out.push(text.slice(i, i + maxWords));
  return out;
}
