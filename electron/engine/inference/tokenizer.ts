/**
 * A model folder's tokenizer (tokenizer.json + tokenizer_config.json, read by @huggingface/tokenizers) and its
 * chat template (rendered by @huggingface/jinja), plus incremental detokenization for streaming.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { fail } from '../errors.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

interface TokenizerConfig {
  bos_token?: string | { content: string } | null;
  eos_token?: string | { content: string } | null;
  add_bos_token?: boolean;
  chat_template?: string | Array<{ name: string; template: string }> | null;
  [key: string]: unknown;
}

function tokenContent(t: TokenizerConfig['bos_token']): string | undefined {
  if (!t) return undefined;
  return typeof t === 'string' ? t : t.content;
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    fail('not_found', `The model folder has no ${file.split(/[\\/]/).pop()}.`, { file, hint: 'A model folder needs tokenizer.json and tokenizer_config.json beside config.json.' });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail('bad_input', `${file} is not valid JSON: ${(err as Error).message}`, { file, hint: 'Download the file again.' });
  }
}

export class ModelTokenizer {
  readonly bosId: number | undefined;
  readonly eosIds: number[];
  readonly bosToken: string | undefined;
  readonly eosToken: string | undefined;
  private readonly tok: Tokenizer;
  private readonly config: TokenizerConfig;
  private template: Template | null | undefined;

  constructor(tokenizerJson: object, config: TokenizerConfig, extraEosIds: number[] = []) {
    this.tok = new Tokenizer(tokenizerJson, config);
    this.config = config;
    this.bosToken = tokenContent(config.bos_token);
    this.eosToken = tokenContent(config.eos_token);
    this.bosId = this.bosToken !== undefined ? this.tok.token_to_id(this.bosToken) : undefined;
    const eos = this.eosToken !== undefined ? this.tok.token_to_id(this.eosToken) : undefined;
    this.eosIds = [...new Set([...(eos !== undefined ? [eos] : []), ...extraEosIds])];
  }

  static async load(dir: string, extraEosIds: number[] = []): Promise<ModelTokenizer> {
    const json = (await readJson(join(dir, 'tokenizer.json'))) as object;
    const config = (await readJson(join(dir, 'tokenizer_config.json'))) as TokenizerConfig;
    try {
      return new ModelTokenizer(json, config, extraEosIds);
    } catch (err) {
      fail('bad_input', `tokenizer.json could not be read: ${(err as Error).message}`, { file: join(dir, 'tokenizer.json') });
    }
  }

  /** Token ids of `text`; with special tokens (BOS) as the tokenizer's post-processor adds them. */
  encode(text: string, addSpecialTokens = true): number[] {
    return this.tok.encode(text, { add_special_tokens: addSpecialTokens }).ids;
  }

  decode(ids: readonly number[], skipSpecialTokens = true): string {
    return this.tok.decode([...ids], { skip_special_tokens: skipSpecialTokens, clean_up_tokenization_spaces: false });
  }

  tokenToId(token: string): number | undefined {
    return this.tok.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.tok.id_to_token(id);
  }

  get vocabSize(): number {
    return this.tok.get_vocab(true).size;
  }

  hasChatTemplate(): boolean {
    return this.chatTemplate() !== null;
  }

  private chatTemplate(): Template | null {
    if (this.template !== undefined) return this.template;
    const t = this.config.chat_template;
    const source = typeof t === 'string' ? t : Array.isArray(t) ? (t.find((x) => x.name === 'default') ?? t[0])?.template : undefined;
    this.template = source ? new Template(source) : null;
    return this.template;
  }

  /** Renders the model's chat template; throws a clear error when the model has none. */
  applyChatTemplate(messages: ChatMessage[], addGenerationPrompt = true): string {
    const template = this.chatTemplate();
    if (!template) fail('bad_input', 'This model has no chat template (tokenizer_config.json has no chat_template).', { hint: 'Use a plain prompt with this model.' });
    return template.render({
      messages,
      add_generation_prompt: addGenerationPrompt,
      bos_token: this.bosToken ?? '',
      eos_token: this.eosToken ?? '',
    });
  }
}

/**
 * Streams text from token ids without splitting multi-byte characters or losing the spaces a decoder strips at the
 * start of a sequence: each step decodes a short window that starts a few tokens back (the TGI approach).
 */
export class IncrementalDecoder {
  private readonly ids: number[];
  private prefixOffset = 0;
  private readOffset: number;
  private text = '';

  constructor(
    private readonly tokenizer: ModelTokenizer,
    contextIds: readonly number[] = [],
  ) {
    this.ids = contextIds.slice(-6);
    this.readOffset = this.ids.length;
  }

  /** Adds a token; returns the new text it completes ('' while a character is still incomplete). */
  push(id: number): string {
    this.ids.push(id);
    const before = this.tokenizer.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const after = this.tokenizer.decode(this.ids.slice(this.prefixOffset));
    if (after.length > before.length && !after.endsWith('\uFFFD')) {
      const piece = after.slice(before.length);
      this.prefixOffset = this.readOffset;
      this.readOffset = this.ids.length;
      this.text += piece;
      return piece;
    }
    return '';
  }

  /** All text emitted so far. */
  get emitted(): string {
    return this.text;
  }

  /** Emits what is left at the end (an incomplete character is emitted as U+FFFD, as a full decode would). */
  flush(): string {
    const before = this.tokenizer.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const after = this.tokenizer.decode(this.ids.slice(this.prefixOffset));
    const piece = after.length > before.length ? after.slice(before.length) : '';
    this.prefixOffset = this.readOffset = this.ids.length;
    this.text += piece;
    return piece;
  }
}
