import type { Plan } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { fitHead, fitItems, fitTail, type CountTokens } from './budget.ts';
import type { Leaf } from './outline.ts';
import { fill, type Template } from './templates.ts';

export interface DraftPromptInput {
  template: Template;
  plan: Plan;
  leaf: Leaf;
  isLast: boolean;
  /** Relevant characters, facts and reference chunks, most relevant first. */
  context: string[];
  /** Outline points already written, oldest first. */
  earlier: string[];
  /** What came just before (the previous point). */
  previous: string;
  /** The document so far; only its end enters the prompt. */
  textSoFar: string;
  /** Facts the passage must respect (a revision redraft states them). */
  mustKeep?: string[];
  budget: number;
  countTokens: CountTokens;
}

export interface DraftPrompt {
  prompt: string;
  tokens: number;
  /** Tokens of the text-so-far tail that entered the prompt. */
  tailTokens: number;
}

/**
 * Re3's draft prompt, in Re3's order — premise; relevant context; summary of earlier parts; what came just
 * before; the current point; the end of the text so far — cut to `budget` tokens so that a passage costs the
 * same at word 100 and word 100 000.
 */
export function buildDraftPrompt(input: DraftPromptInput): DraftPrompt {
  const { template, plan, leaf, budget, countTokens: count } = input;
  const d = template.draft;
  const empty = { premise: '', context: '', earlier: '', previous: '', point: '', ending: '', text: '' };
  const overhead = count(fill(d.prompt, empty));
  const avail = budget - overhead;
  const ending = input.isLast ? d.ending : '';
  const endingTokens = ending ? count(ending) : 0;
  const pointFull = [...leaf.ancestors.map((a) => a.text), leaf.point.text].join(' — ');
  const point = fitHead(pointFull, Math.max(Math.floor(avail * d.shares.point), 1), count);
  if (!point || avail - endingTokens - count(point) < 0) {
    fail('limit', `The prompt budget of ${budget} tokens cannot hold the template and the outline point.`, {
      field: 'promptTokenBudget',
      hint: 'Raise the prompt token budget, or shorten the template in the project (template-<kind>.json).',
    });
  }
  const premiseText = plan.setting ? `${plan.premise}\n${template.labels.setting}: ${plan.setting}` : plan.premise;
  const premise = fitHead(premiseText, Math.floor(avail * d.shares.premise), count);
  const contextItems = [...(input.mustKeep ?? []).map((f) => fill(template.revise.fixNote, { fact: f })), ...input.context];
  const ctx = fitItems(contextItems, Math.floor(avail * d.shares.context) - count(d.contextHeading) - 1, count);
  const context = ctx.length ? `${d.contextHeading}\n${ctx.join('\n')}` : '';
  const recent = [...input.earlier].reverse();
  const earlierItems = fitItems(recent, Math.floor(avail * d.shares.earlier) - count(d.earlierHeading) - 1, count).reverse();
  const earlier = earlierItems.length ? `${d.earlierHeading}\n${earlierItems.join('\n')}` : '';
  const prevText = fitHead(input.previous, Math.floor(avail * d.shares.previous) - count(d.previousHeading) - 1, count);
  const previous = prevText ? `${d.previousHeading} ${prevText}` : '';
  const slots = { premise, context, earlier, previous, point, ending, text: '' };
  const source = input.textSoFar.trim() ? input.textSoFar.trimEnd() : d.start;
  let room = budget - count(fill(d.prompt, slots));
  // Token counts of joined strings can differ from the sum of the parts by a token or two; shrink until it fits.
  for (let attempt = 0; attempt < 8; attempt++) {
    const text = fitTail(source, room, count);
    const prompt = fill(d.prompt, { ...slots, text });
    const tokens = count(prompt);
    if (tokens <= budget) return { prompt, tokens, tailTokens: text ? count(text) : 0 };
    room -= Math.max(1, tokens - budget);
  }
  fail('limit', `Could not fit the draft prompt into ${budget} tokens.`, { field: 'promptTokenBudget', hint: 'Raise the prompt token budget.' });
}
