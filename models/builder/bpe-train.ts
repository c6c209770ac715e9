/** A small BPE trainer for the test models' tokenizers (SentencePiece-style and GPT-2 byte-level). */
import { byteToUnicode, type Piece } from './tokenizer-json.ts';

/** Learns up to `numMerges` merges over `words` (each an array of symbols, with a count). */
function learnMerges(words: Map<string, number>, split: (w: string) => string[], numMerges: number): Array<[string, string]> {
  const entries = [...words].map(([w, count]) => ({ symbols: split(w), count }));
  const merges: Array<[string, string]> = [];
  for (let m = 0; m < numMerges; m++) {
    const counts = new Map<string, number>();
    for (const { symbols, count } of entries) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
        counts.set(key, (counts.get(key) ?? 0) + count);
      }
    }
    let best = '';
    let bestCount = 1;
    for (const [key, c] of counts) if (c > bestCount || (c === bestCount && best !== '' && key < best)) [best, bestCount] = [key, c];
    if (!best) break;
    const [a, b] = best.split('\u0000') as [string, string];
    merges.push([a, b]);
    for (const e of entries) {
      const out: string[] = [];
      for (let i = 0; i < e.symbols.length; i++) {
        if (i + 1 < e.symbols.length && e.symbols[i] === a && e.symbols[i + 1] === b) {
          out.push(a + b);
          i++;
        } else out.push(e.symbols[i]!);
      }
      e.symbols = out;
    }
  }
  return merges;
}

function countWords(words: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of words) if (w) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** SentencePiece-style pieces: <unk>, <s>, </s>, 256 byte tokens, the corpus's characters, then merged pieces. */
export function trainSentencePiece(corpus: string, numMerges: number): Piece[] {
  const pieces: Piece[] = [
    { piece: '<unk>', score: 0 },
    { piece: '<s>', score: 0 },
    { piece: '</s>', score: 0 },
  ];
  for (let b = 0; b < 256; b++) pieces.push({ piece: `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, score: 0 });
  const words = corpus.split(/\s+/).filter(Boolean).map((w) => `▁${w}`);
  const chars = [...new Set(words.flatMap((w) => Array.from(w)))].sort();
  const merges = learnMerges(countWords(words), (w) => Array.from(w), numMerges);
  const seen = new Set<string>();
  chars.forEach((c, i) => {
    seen.add(c);
    pieces.push({ piece: c, score: -1e6 - i });
  });
  merges.forEach(([a, b], i) => {
    if (seen.has(a + b)) return;
    seen.add(a + b);
    pieces.push({ piece: a + b, score: -i });
  });
  return pieces;
}

const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2 byte-level merges learned from `corpus`. */
export function trainByteLevel(corpus: string, numMerges: number): Array<[string, string]> {
  const table = byteToUnicode();
  const enc = new TextEncoder();
  const words = (corpus.match(GPT2_SPLIT) ?? []).map((w) => Array.from(enc.encode(w), (b) => table[b]!).join(''));
  return learnMerges(countWords(words), (w) => Array.from(w), numMerges);
}
