import type { TextGenerator } from '../services/types.ts';
import { extractFacts, parseFactLines, type Fact } from './ledger.ts';
import { fill } from './templates.ts';

/** Facts about the named entities that a passage states. */
export type FactExtractor = (text: string, names: string[], source: string) => Promise<Fact[]>;

export const patternExtractor: FactExtractor = async (text, names, source) => extractFacts(text, names, source);

// Below this context a model is too small to follow an extraction prompt; patterns do better there.
const MIN_CONTEXT_FOR_PROMPTED_EXTRACTION = 2048;

/**
 * Facts by a generator prompt (per entity named in the passage, greedy), plus the patterns; for models too small
 * to follow the prompt, the patterns alone.
 */
export function factExtractor(generator: TextGenerator, template: string): FactExtractor {
  if (!template || generator.contextLength() < MIN_CONTEXT_FOR_PROMPTED_EXTRACTION) return patternExtractor;
  return async (text, names, source) => {
    const out = extractFacts(text, names, source);
    for (const name of names.filter((n) => text.includes(n))) {
      const { candidates } = await generator.generate({
        prompt: fill(template, { text: text.slice(0, 6000), name }),
        candidates: 1,
        sampling: { maxTokens: 96, temperature: 0, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1, frequencyPenalty: 0, stop: ['\n\n'] },
      });
      out.push(...parseFactLines(candidates[0]?.text ?? '', name, text, source));
    }
    return out;
  };
}
