import type { EngineEvent, GenerationStats, Passage, PassageCandidate, Plan, WriteOptions } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Reranker, TextGenerator } from '../services/types.ts';
import { relevantContext, textBefore } from './context.ts';
import { leaves, type Leaf } from './outline.ts';
import { buildDraftPrompt } from './prompt.ts';
import type { Template } from './templates.ts';

export interface DraftDeps {
  generator: TextGenerator;
  reranker: Reranker;
  knowledge: KnowledgeBase | null;
  emit: (e: EngineEvent) => void;
  dir: string;
}

export interface Drafted {
  candidates: PassageCandidate[];
  winner: number;
  prompt: string;
  stats: GenerationStats;
  seconds: number;
}

export interface DraftRequest {
  plan: Plan;
  passages: Passage[];
  leaf: Leaf;
  index: number;
  passageId: string;
  template: Template;
  options: WriteOptions;
  maxTokens: number;
  mustKeep?: string[];
  signal?: AbortSignal;
}

/** One draft step: prompt → k candidates in one batch (streamed as events) → reranked. */
export async function draftCandidates(deps: DraftDeps, r: DraftRequest): Promise<Drafted> {
  const started = performance.now();
  const { generator } = deps;
  const all = leaves(r.plan.outline);
  const before = textBefore(r.plan, r.passages, r.leaf, r.index);
  const budget = Math.min(r.options.promptTokenBudget, generator.contextLength() - r.maxTokens);
  if (budget < 32) {
    fail('limit', `The model's context (${generator.contextLength()} tokens) leaves no room for a prompt next to ${r.maxTokens} new tokens.`, {
      field: 'maxTokensPerPassage',
      hint: 'Lower the tokens per passage, or use a model with a longer context.',
    });
  }
  const { prompt } = buildDraftPrompt({
    template: r.template,
    plan: r.plan,
    leaf: r.leaf,
    isLast: r.leaf.index === all.length - 1,
    context: await relevantContext(r.plan, r.leaf, deps.knowledge),
    earlier: all.slice(0, r.leaf.index).map((l) => l.point.text),
    previous: r.index > 0 ? r.leaf.point.text : (all[r.leaf.index - 1]?.point.text ?? ''),
    textSoFar: before,
    mustKeep: r.mustKeep,
    budget,
    countTokens: (t) => generator.countTokens(t),
  });
  const sampling = {
    maxTokens: r.maxTokens,
    temperature: r.options.temperature,
    topK: 0,
    topP: 0.95,
    minP: 0,
    repetitionPenalty: 1.1,
    frequencyPenalty: 0,
    stop: [] as string[],
    seed: r.options.seed === undefined ? undefined : r.options.seed + hash(r.passageId),
  };
  // The story's opening words (the template's `start`, e.g. "Once upon a time,") begin the first passage: stream them
  // first, so what the author watches is what gets accepted.
  const opening = before.trim() ? '' : r.template.draft.start;
  const streamed = new Set<number>();
  const emitText = (candidate: number, text: string) => deps.emit({ type: 'passage.tokens', dir: deps.dir, pointId: r.leaf.point.id, passageId: r.passageId, candidate, text });
  const onText = (candidate: number, text: string) => {
    if (opening && !streamed.has(candidate)) {
      streamed.add(candidate);
      emitText(candidate, `${opening} `);
      text = text.trimStart();
      if (!text) return;
    }
    emitText(candidate, text);
  };
  let result = await generator.generate({ prompt, candidates: r.options.candidates, sampling, signal: r.signal, onText });
  let usable = result.candidates.filter((c) => c.text.trim());
  // Small story models end the story eagerly (EOS at once). Retry hotter, then with the template's cue words.
  const cue = r.template.draft.retryCue;
  for (let attempt = 1; usable.length === 0 && attempt <= 2; attempt++) {
    const withCue = attempt === 2 && cue !== '';
    const p = withCue ? `${prompt}${/\s$/.test(prompt) ? '' : ' '}${cue}` : prompt;
    const s = { ...sampling, seed: (sampling.seed ?? 0) + 7919 * attempt, temperature: Math.max(sampling.temperature, 1 + 0.2 * attempt), maxTokens: Math.max(8, r.maxTokens - (withCue ? generator.countTokens(cue) : 0)) };
    result = await generator.generate({ prompt: p, candidates: r.options.candidates, sampling: s, signal: r.signal, onText });
    usable = result.candidates.filter((c) => c.text.trim()).map((c) => (withCue ? { ...c, text: `${cue}${/^\s/.test(c.text) ? '' : ' '}${c.text}` } : c));
  }
  if (usable.length === 0) {
    fail('bad_input', `The model produced no text for outline point ${r.leaf.point.id} ("${r.leaf.point.text.slice(0, 60)}"): every candidate ended at once (it emits only stop tokens).`, {
      hint: 'Try another model, a higher temperature, or check that the model folder holds a text-generation model. The project is saved; run Write again to resume.',
    });
  }
  usable = usable.map((c) => ({ ...c, text: tidyPassage(opening ? `${opening} ${c.text.trimStart()}` : c.text) }));
  const ranked = await deps.reranker.rerank(
    { query: r.leaf.point.text, prefix: before.slice(-4000), prompt, requiredNames: r.plan.characters.filter((c) => r.leaf.point.text.includes(c.name)).map((c) => c.name) },
    usable.map((c) => ({ text: c.text, meanLogprob: c.meanLogprob })),
  );
  const candidates = ranked.candidates.map((c, i) => ({ text: c.text, scores: c.scores, tokens: usable[i]!.tokens }));
  deps.emit({ type: 'passage.scored', dir: deps.dir, passageId: r.passageId, candidates });
  return { candidates, winner: ranked.winner, prompt, stats: result.stats, seconds: (performance.now() - started) / 1000 };
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h % 1_000_000;
}

/**
 * A candidate as a passage: trimmed, and cut after its last full sentence when that keeps most of it (generation
 * stops at a token budget, often mid-word; the next passage starts a new paragraph).
 */
export function tidyPassage(text: string): string {
  // A line with no letter or digit (a lone closing quote after a line break) belongs to the line before it.
  const t = text
    .trim()
    .split('\n')
    .reduce<string[]>((lines, line) => {
      if (lines.length > 0 && line.trim() && !/[\p{L}\p{N}]/u.test(line)) lines[lines.length - 1] += line.trim();
      else lines.push(line);
      return lines;
    }, [])
    .join('\n');
  const m = [...t.matchAll(/[.!?。！？]["'”’)]?(?=\s|$)/gu)].at(-1);
  if (!m || m.index === undefined) return t;
  const end = m.index + m[0].length;
  return end >= t.length * 0.5 ? t.slice(0, end) : t;
}
