/**
 * Writes Hugging Face `tokenizer.json` + `tokenizer_config.json` objects for two BPE styles:
 * - Llama / SentencePiece: ▁ for spaces, a dummy-prefix ▁, byte-fallback tokens <0xXX>, merges ranked by the merged
 *   piece's score (what llama2.c's encoder does: repeatedly merge the adjacent pair whose result scores highest);
 * - GPT-2 byte-level BPE.
 */

export interface Piece {
  piece: string;
  score: number;
}

export interface TokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
}

function addedToken(id: number, content: string) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/**
 * A SentencePiece-style BPE tokenizer. `pieces[i]` is token id i, spaces written as '▁'; ids 0/1/2 are
 * <unk>/<s>/</s>; byte tokens are named <0xXX>.
 */
export function sentencePieceTokenizer(pieces: readonly Piece[], chatTemplate?: string): TokenizerFiles {
  const vocab: Record<string, number> = {};
  pieces.forEach((p, id) => {
    if (!(p.piece in vocab)) vocab[p.piece] = id;
  });
  const isSpecial = (id: number) => id <= 2;
  const isByte = (s: string) => /^<0x[0-9A-F]{2}>$/.test(s);
  // Every pair of pieces whose concatenation is a piece, ranked by that piece's score (highest first).
  const merges: Array<{ a: string; b: string; score: number; id: number }> = [];
  pieces.forEach((p, id) => {
    if (isSpecial(id) || isByte(p.piece)) return;
    const chars = Array.from(p.piece);
    for (let cut = 1; cut < chars.length; cut++) {
      const a = chars.slice(0, cut).join('');
      const b = chars.slice(cut).join('');
      const ia = vocab[a];
      const ib = vocab[b];
      if (ia === undefined || ib === undefined || isSpecial(ia) || isSpecial(ib)) continue;
      merges.push({ a, b, score: p.score, id });
    }
  });
  merges.sort((x, y) => y.score - x.score || x.id - y.id || vocab[x.a]! - vocab[y.a]!);
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [addedToken(0, pieces[0]!.piece), addedToken(1, pieces[1]!.piece), addedToken(2, pieces[2]!.piece)],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: pieces[1]!.piece, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: pieces[1]!.piece, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: pieces[1]!.piece, type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { [pieces[1]!.piece]: { id: pieces[1]!.piece, ids: [1], tokens: [pieces[1]!.piece] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: pieces[0]!.piece,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: merges.map((m) => [m.a, m.b]),
    },
  };
  const tokenizerConfig: Record<string, unknown> = {
    tokenizer_class: 'LlamaTokenizer',
    bos_token: pieces[1]!.piece,
    eos_token: pieces[2]!.piece,
    unk_token: pieces[0]!.piece,
    add_bos_token: true,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    legacy: true,
    model_max_length: 1_000_000,
  };
  if (chatTemplate) tokenizerConfig.chat_template = chatTemplate;
  return { tokenizerJson, tokenizerConfig };
}

/** GPT-2's byte → printable-character table (bytes that are not printable map to U+0100 onwards). */
export function byteToUnicode(): string[] {
  const printable = new Set<number>();
  for (let b = 0x21; b <= 0x7e; b++) printable.add(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.add(b);
  for (let b = 0xae; b <= 0xff; b++) printable.add(b);
  const out: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) out.push(String.fromCodePoint(printable.has(b) ? b : 256 + extra++));
  return out;
}

/** A GPT-2 byte-level BPE tokenizer; `merges` are pairs of byte-level strings, in rank order. */
export function byteLevelTokenizer(merges: ReadonlyArray<readonly [string, string]>, eosToken = '<|endoftext|>'): TokenizerFiles {
  const vocab: Record<string, number> = {};
  for (const ch of byteToUnicode()) vocab[ch] = Object.keys(vocab).length;
  for (const [a, b] of merges) if (!(a + b in vocab)) vocab[a + b] = Object.keys(vocab).length;
  const eosId = Object.keys(vocab).length;
  vocab[eosToken] = eosId;
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [addedToken(eosId, eosToken)],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: merges.map(([a, b]) => [a, b]),
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'GPT2Tokenizer',
    bos_token: eosToken,
    eos_token: eosToken,
    unk_token: eosToken,
    add_bos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: 1024,
  };
  return { tokenizerJson, tokenizerConfig };
}
