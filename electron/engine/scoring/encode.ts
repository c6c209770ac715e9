/**
 * Tokenization for classifiers: single texts and (query, passage) pairs, with the model's special tokens,
 * truncated to the model's length by keeping the passage's start and end (the middle is dropped).
 */
import { Tokenizer } from '@huggingface/tokenizers';

export interface Encoded {
  ids: number[];
  typeIds: number[];
}

/** Characters kept from each end of a very long text before tokenizing (≥ any token budget we use). */
const CHARS_PER_TOKEN_BOUND = 16;

export class ClassifierTokenizer {
  private readonly tok: Tokenizer;
  private readonly unkId: number;
  readonly maxLength: number;
  private readonly specialsSingle: number;
  private readonly specialsPair: number;

  constructor(tokenizerJson: object, tokenizerConfig: Record<string, unknown>, maxLength: number) {
    this.tok = new Tokenizer(tokenizerJson, tokenizerConfig);
    this.maxLength = maxLength;
    const unk = this.tok.model?.unk_token_id;
    this.unkId = typeof unk === 'number' ? unk : 0;
    this.specialsSingle = this.assemble(['x'], null).ids.length - 1;
    this.specialsPair = this.assemble(['x'], ['y']).ids.length - 2;
  }

  private tokens(text: string, budget: number): string[] {
    const bound = budget * CHARS_PER_TOKEN_BOUND;
    if (text.length <= 2 * bound) return this.tok.tokenize(text, { add_special_tokens: false });
    const head = this.tok.tokenize(text.slice(0, bound), { add_special_tokens: false });
    const tail = this.tok.tokenize(text.slice(-bound), { add_special_tokens: false });
    return head.concat(tail);
  }

  private assemble(a: string[], b: string[] | null): Encoded {
    const post = this.tok.post_processor;
    const out = post ? post.post_process(a, b, true) : { tokens: b ? a.concat(b) : a, token_type_ids: undefined };
    const ids = out.tokens.map((t) => this.tok.token_to_id(t) ?? this.unkId);
    const typeIds = out.token_type_ids ?? new Array<number>(ids.length).fill(0);
    return { ids, typeIds };
  }

  encode(text: string): Encoded {
    const budget = Math.max(1, this.maxLength - this.specialsSingle);
    return this.assemble(keepEnds(this.tokens(text, budget), budget), null);
  }

  /** The query keeps at most half the budget (its start); the passage fills the rest (start and end). */
  encodePair(query: string, passage: string): Encoded {
    const budget = Math.max(2, this.maxLength - this.specialsPair);
    const q = this.tokens(query, budget).slice(0, Math.floor(budget / 2));
    const p = keepEnds(this.tokens(passage, budget), budget - q.length);
    return this.assemble(q, p);
  }
}

/** The first ⌈n/2⌉ and last ⌊n/2⌋ tokens when there are more than n. */
export function keepEnds<T>(tokens: T[], n: number): T[] {
  if (tokens.length <= n) return tokens;
  const head = Math.ceil(n / 2);
  return tokens.slice(0, head).concat(tokens.slice(tokens.length - (n - head)));
}
