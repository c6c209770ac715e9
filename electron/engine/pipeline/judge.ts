import type { ContradictionJudge, PairClassifier, TextGenerator } from '../services/types.ts';
import { fail } from '../errors.ts';
import { fill } from './templates.ts';

/** An NLI classifier as judge: contradiction when P(contradiction) is the largest label probability. */
export function nliJudge(nli: PairClassifier): ContradictionJudge {
  const idx = nli.labels.findIndex((l) => l.toLowerCase().startsWith('contradict'));
  if (idx < 0) fail('bad_input', `The NLI model has no "contradiction" label (labels: ${nli.labels.join(', ')}).`, { hint: 'Install an NLI model (labels entailment/neutral/contradiction).' });
  return {
    async contradicts(fact, claim) {
      const [probs] = await nli.classify([[fact, claim]]);
      const p = probs?.[idx] ?? 0;
      return { contradicts: p >= Math.max(...(probs ?? [0])), confidence: p };
    },
  };
}

/** The generator as judge: a yes/no question, answered greedily; the answer's log-probability is the confidence. */
export function generatorJudge(generator: TextGenerator, judgeTemplate: string): ContradictionJudge {
  return {
    async contradicts(fact, claim) {
      const prompt = fill(judgeTemplate, { fact, claim });
      const { candidates } = await generator.generate({
        prompt,
        candidates: 1,
        sampling: { maxTokens: 3, temperature: 0, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1, frequencyPenalty: 0, stop: ['\n'] },
      });
      const answer = (candidates[0]?.text ?? '').trim().toLowerCase();
      return { contradicts: answer.startsWith('yes'), confidence: Math.exp(candidates[0]?.meanLogprob ?? -Infinity) };
    },
  };
}
