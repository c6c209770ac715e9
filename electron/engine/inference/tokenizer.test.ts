import { describe, expect, it } from 'vitest';
import { trainSentencePiece } from '../../../models/builder/bpe-train.ts';
import { CORPUS } from '../../../models/builder/corpus.ts';
import { sentencePieceTokenizer } from '../../../models/builder/tokenizer-json.ts';
import { LonghandError } from '../errors.ts';
import { IncrementalDecoder, ModelTokenizer } from './tokenizer.ts';

const TEMPLATE =
  "{{ bos_token }}{% for m in messages %}<|{{ m.role }}|>\n{{ m.content }}{{ eos_token }}\n{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}";

function tokenizer(chatTemplate?: string): ModelTokenizer {
  const files = sentencePieceTokenizer(trainSentencePiece(CORPUS, 200), chatTemplate);
  return new ModelTokenizer(files.tokenizerJson, files.tokenizerConfig);
}

describe('ModelTokenizer', () => {
  it('adds BOS, knows EOS, and round-trips text with byte fallback', () => {
    const t = tokenizer();
    const ids = t.encode('Once upon a time 🦊');
    expect(ids[0]).toBe(t.bosId);
    expect(t.eosIds).toEqual([2]);
    expect(t.decode(ids)).toBe('Once upon a time 🦊');
    expect(ids.filter((id) => t.idToToken(id)?.startsWith('<0x'))).toHaveLength(4);
  });

  it('renders the chat template with @huggingface/jinja', () => {
    const t = tokenizer(TEMPLATE);
    expect(t.hasChatTemplate()).toBe(true);
    expect(t.applyChatTemplate([{ role: 'user', content: 'Hi' }])).toBe('<s><|user|>\nHi</s>\n<|assistant|>\n');
  });

  it('says clearly when the model has no chat template', () => {
    const t = tokenizer();
    expect(() => t.applyChatTemplate([{ role: 'user', content: 'Hi' }])).toThrow(LonghandError);
  });
});

describe('IncrementalDecoder', () => {
  it('streams whole characters only and keeps spaces after the prompt', () => {
    const t = tokenizer();
    const prompt = t.encode('The fox');
    const continuation = t.encode(' saw 🦊 and 東京.', false).slice(0);
    // Encoding alone adds the dummy-prefix ▁; what the model would emit after "The fox" is the same pieces.
    const d = new IncrementalDecoder(t, prompt);
    const pieces = continuation.map((id) => d.push(id));
    const text = pieces.join('') + d.flush();
    expect(text).toBe(t.decode([...prompt, ...continuation]).slice('The fox'.length));
    expect(pieces.every((p) => !p.includes('\uFFFD'))).toBe(true);
    // The 4 byte tokens of the emoji produce nothing until the last one completes the character.
    expect(pieces.some((p) => p.includes('🦊'))).toBe(true);
  });
});
