/**
 * `npm run bench:write` — the Write loop (issue 5), written to bench/results/write.json:
 *   - a 12-leaf story (bench/devplans/story-12.json) with Karpathy's stories260K (converted with convert-llama2c)
 *     and the embedded relevance model: words, seconds, and the per-passage time of the last three passages over
 *     the first three (goal ≤ 1.2: the prompt is bounded, so a passage must not cost more as the story grows);
 *   - on every dev plan (bench/devplans/*.json): the mean relevance of accepted passages vs the mean of all
 *     candidates (the reranker must lift it), and the repetition of the written text with and without the
 *     repetition heuristics in the reranker (same seeds).
 * CPU only; other processes on the machine move the timings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WriteOptions, type RerankWeights } from '../electron/contract/contract.ts';
import { OnnxGenerator } from '../electron/engine/inference/generator.ts';
import { KnowledgeBase } from '../electron/engine/knowledge/knowledge-base.ts';
import { joinPassages, orderedPassages } from '../electron/engine/pipeline/context.ts';
import { generatorJudge } from '../electron/engine/pipeline/judge.ts';
import { countWords } from '../electron/engine/pipeline/length.ts';
import { RunControl, WriteLoop } from '../electron/engine/pipeline/loop.ts';
import { leaves } from '../electron/engine/pipeline/outline.ts';
import { importPlan } from '../electron/engine/pipeline/plan-file.ts';
import { defaultTemplate } from '../electron/engine/pipeline/templates.ts';
import { ProjectStore } from '../electron/engine/project/store.ts';
import { embeddedRelevanceModelDir } from '../electron/engine/scoring/embedded.ts';
import { Relevance } from '../electron/engine/scoring/relevance.ts';
import { ScoringReranker } from '../electron/engine/scoring/reranker.ts';
import { repetition } from '../electron/engine/scoring/repetition.ts';
import type { GenerateRequest, TextGenerator } from '../electron/engine/services/types.ts';
import { convertLlama2c } from '../models/builder/llama2c.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const stories = path.resolve(repoRoot, '..', 'shared', 'models', 'stories260k');
const devplans = path.join(repoRoot, 'bench', 'devplans');
const resultFile = path.join(repoRoot, 'bench', 'results', 'write.json');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-bench-write-'));
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

if (!fs.existsSync(path.join(stories, 'stories260K.bin'))) {
  const reason = `stories260K not found at ${stories}; the write benchmark needs it (see README: tests and benchmarks).`;
  console.log(`SKIPPED: ${reason}`);
  fs.writeFileSync(resultFile, JSON.stringify({ skipped: reason, at: new Date().toISOString() }, null, 2) + '\n');
  process.exit(0);
}

const modelDir = path.join(work, 'stories260k');
await convertLlama2c(path.join(stories, 'stories260K.bin'), path.join(stories, 'tok512.bin'), modelDir);
const generator = await OnnxGenerator.load(modelDir);
const relevance = await Relevance.load(embeddedRelevanceModelDir());
if (relevance.model.kind !== 'bi-encoder') throw new Error('expected the embedded bi-encoder');
const embedder = relevance.model.model;

/** Prompt sizes per draft call (the judge's yes/no prompts are left out). */
class Measured implements TextGenerator {
  promptTokens: number[] = [];
  prompts: string[] = [];
  /** Draft generation calls (retries included): wall seconds and tokens generated over all candidates. */
  drafts: Array<{ seconds: number; tokens: number }> = [];
  constructor(private readonly inner: TextGenerator) {}
  status = () => this.inner.status();
  countTokens = (t: string) => this.inner.countTokens(t);
  contextLength = () => this.inner.contextLength();
  dispose = () => Promise.resolve();
  async generate(r: GenerateRequest) {
    if (!r.onText) return this.inner.generate(r);
    this.promptTokens.push(this.inner.countTokens(r.prompt));
    this.prompts.push(r.prompt);
    const t0 = performance.now();
    const out = await this.inner.generate(r);
    this.drafts.push({ seconds: (performance.now() - t0) / 1000, tokens: out.candidates.reduce((a, c) => a + c.tokens, 0) });
    return out;
  }
}

async function write(planName: string, options: Partial<WriteOptions>, weights?: Partial<RerankWeights>) {
  const { plan } = importPlan(fs.readFileSync(path.join(devplans, planName), 'utf8'), planName);
  const store = await ProjectStore.create(path.join(work, `${planName}-${Math.random().toString(36).slice(2)}`), { title: plan.title, kind: plan.kind, premise: plan.premise });
  await store.savePlan(plan);
  const g = new Measured(generator);
  // CPU seconds of this process between accepted passages: unlike wall time, untouched by other processes' load.
  const cpuSeconds: number[] = [];
  let cpuMark = process.cpuUsage();
  const t0 = performance.now();
  const state = await new WriteLoop(
    {
      store,
      generator: g,
      reranker: new ScoringReranker(relevance, { kind: plan.kind, ...(weights ? { weights } : {}) }),
      knowledge: new KnowledgeBase(store, embedder),
      judge: generatorJudge(g, defaultTemplate(plan.kind).revise.judge),
      emit: (e) => {
        if (e.type !== 'passage.accepted') return;
        const d = process.cpuUsage(cpuMark);
        cpuMark = process.cpuUsage();
        cpuSeconds.push((d.user + d.system) / 1e6);
      },
    },
    WriteOptions.parse(options),
    new RunControl(),
  ).execute();
  const seconds = (performance.now() - t0) / 1000;
  const passages = orderedPassages(store.plan(), store.passages());
  const text = joinPassages(passages);
  await store.close();
  if (state.step !== 'done') throw new Error(`${planName}: ended ${state.step}`);
  return { plan, passages, text, seconds, promptTokens: g.promptTokens, prompts: g.prompts, drafts: g.drafts, cpuSeconds };
}

/** Share of the text's word 4-grams that occur more than once (a plain measure of repetition). */
function repeated4grams(text: string): number {
  const w = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const counts = new Map<string, number>();
  for (let i = 0; i + 4 <= w.length; i++) {
    const g = w.slice(i, i + 4).join(' ');
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  let repeated = 0;
  for (const n of counts.values()) if (n > 1) repeated += n;
  return counts.size ? repeated / Math.max(1, w.length - 3) : 0;
}

const base = { candidates: 4, passagesPerPoint: 2, maxTokensPerPassage: 96, promptTokenBudget: 384, seed: 1 };

// 1. The 12-leaf story (after one warm-up generation, so the first passages don't carry session start-up).
await generator.generate({ prompt: 'Once upon a time', candidates: base.candidates, sampling: { maxTokens: 16, temperature: 0.8, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1, frequencyPenalty: 0, stop: [], seed: 1 } });
await relevance.raw('warm up', ['the relevance model']);
const story = await write('story-12.json', base);
const times = story.passages.map((p) => p.seconds ?? 0);
const first3 = mean(times.slice(0, 3));
const last3 = mean(times.slice(-3));
// Per generated token: a passage's time also depends on how many tokens its candidates ran to before EOS.
const perToken = (ds: typeof story.drafts) => ds.reduce((a, d) => a + d.seconds, 0) / Math.max(1, ds.reduce((a, d) => a + d.tokens, 0));
const firstPerToken = perToken(story.drafts.slice(0, 3));
const lastPerToken = perToken(story.drafts.slice(-3));
// Controlled probe of the same: the draft prompts of the first three and the last three passages, generated again
// (k candidates, same sampling and seeds) in interleaved rounds so that load from other processes hits both alike.
const probePrompts = [...story.prompts.slice(0, 3), ...story.prompts.slice(-3)];
const probe = probePrompts.map(() => ({ seconds: [] as number[], tokens: 0 }));
for (let round = 0; round < 5; round++) {
  for (const [i, prompt] of probePrompts.entries()) {
    const t0 = performance.now();
    const out = await generator.generate({ prompt, candidates: base.candidates, sampling: { maxTokens: base.maxTokensPerPassage, temperature: 0.8, topK: 0, topP: 0.95, minP: 0, repetitionPenalty: 1.1, frequencyPenalty: 0, stop: [], seed: 100 + i } });
    probe[i]!.seconds.push((performance.now() - t0) / 1000);
    probe[i]!.tokens = out.candidates.reduce((a, c) => a + c.tokens, 0);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const probeSec = probe.map((p) => median(p.seconds));
const probePerToken = probe.map((p, i) => probeSec[i]! / Math.max(1, p.tokens));
const twelve = {
  plan: 'bench/devplans/story-12.json',
  leaves: leaves(story.plan.outline).length,
  passages: story.passages.length,
  words: countWords(story.text),
  seconds: round(story.seconds, 2),
  firstThreePassageSeconds: round(first3),
  lastThreePassageSeconds: round(last3),
  lastOverFirstRatio: round(last3 / first3),
  goal: '≤ 1.2',
  /** The same ratio on CPU seconds per passage (draft + the previous passage's revise step). */
  lastOverFirstCpuRatio: round(mean(story.cpuSeconds.slice(-3)) / mean(story.cpuSeconds.slice(0, 3))),
  passageCpuSeconds: story.cpuSeconds.map((x) => round(x)),
  probe: {
    what: 'median of 5 interleaved re-runs of the draft generation of the first 3 and the last 3 passages (same prompts, k, sampling)',
    secondsFirstThree: probeSec.slice(0, 3).map((x) => round(x)),
    secondsLastThree: probeSec.slice(3).map((x) => round(x)),
    tokensFirstThree: probe.slice(0, 3).map((p) => p.tokens),
    tokensLastThree: probe.slice(3).map((p) => p.tokens),
    lastOverFirstRatio: round(mean(probeSec.slice(3)) / mean(probeSec.slice(0, 3))),
    lastOverFirstPerTokenRatio: round(mean(probePerToken.slice(3)) / mean(probePerToken.slice(0, 3))),
  },
  firstThreeDraftMsPerToken: round(firstPerToken * 1000),
  lastThreeDraftMsPerToken: round(lastPerToken * 1000),
  lastOverFirstPerTokenRatio: round(lastPerToken / firstPerToken),
  promptTokensFirstPassage: story.promptTokens[0],
  promptTokensLastPassage: story.promptTokens.at(-1),
  promptTokensMax: Math.max(...story.promptTokens),
  /** In passage order; the prompt fills up to its budget within the first few passages, then stays flat. */
  passageSeconds: times.map((t) => round(t)),
  draftPromptTokens: story.promptTokens,
  options: base,
};

// 2. Dev plans: reranker lift, and repetition with vs without the heuristics.
const devplanResults = [];
for (const name of fs.readdirSync(devplans).filter((f) => f.endsWith('.json')).sort()) {
  const withH = name === 'story-12.json' ? story : await write(name, base);
  const withoutH = await write(name, base, { repetition: 0 });
  const accepted = withH.passages.map((p) => p.candidates[p.chosen]!.scores.relevance);
  const all = withH.passages.flatMap((p) => p.candidates.map((c) => c.scores.relevance));
  // Each accepted passage against the text before it (5-gram overlap, near-duplicate sentences, meta text).
  const rep = (r: typeof withH) => mean(r.passages.map((p, i) => repetition(p.text, { prefix: joinPassages(r.passages.slice(0, i)), person: 'off' }).penalty));
  devplanResults.push({
    plan: name,
    passages: withH.passages.length,
    candidatesPerPassage: base.candidates,
    meanRelevanceAccepted: round(mean(accepted)),
    meanRelevanceAllCandidates: round(mean(all)),
    relevanceLift: round(mean(accepted) - mean(all)),
    repeated4gramShare: { withHeuristics: round(repeated4grams(withH.text)), withoutHeuristics: round(repeated4grams(withoutH.text)) },
    meanRepetitionPenaltyAccepted: { withHeuristics: round(rep(withH)), withoutHeuristics: round(rep(withoutH)) },
  });
}

const result = {
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version },
  model: 'stories260K (llama2.c, converted with convert-llama2c), CPU',
  relevanceModel: 'models/embedded (bi-encoder)',
  story12: twelve,
  devplans: devplanResults,
  summary: {
    meanRelevanceAccepted: round(mean(devplanResults.map((d) => d.meanRelevanceAccepted))),
    meanRelevanceAllCandidates: round(mean(devplanResults.map((d) => d.meanRelevanceAllCandidates))),
    repeated4gramShareWith: round(mean(devplanResults.map((d) => d.repeated4gramShare.withHeuristics))),
    repeated4gramShareWithout: round(mean(devplanResults.map((d) => d.repeated4gramShare.withoutHeuristics))),
  },
};
fs.mkdirSync(path.dirname(resultFile), { recursive: true });
fs.writeFileSync(resultFile, JSON.stringify(result, null, 2) + '\n');
console.log(`12-leaf story: ${twelve.words} words, ${twelve.passages} passages, ${twelve.seconds} s; last 3 / first 3 passage time = ${twelve.lastOverFirstRatio} (goal ≤ 1.2), CPU time ${twelve.lastOverFirstCpuRatio}, per generated token ${twelve.lastOverFirstPerTokenRatio}; controlled probe: ${twelve.probe.lastOverFirstRatio} per passage, ${twelve.probe.lastOverFirstPerTokenRatio} per token; prompt tokens ${twelve.promptTokensFirstPassage} → ${twelve.promptTokensLastPassage}`);
console.table(devplanResults.map((d) => ({ plan: d.plan, accepted: d.meanRelevanceAccepted, all: d.meanRelevanceAllCandidates, rep4With: d.repeated4gramShare.withHeuristics, rep4Without: d.repeated4gramShare.withoutHeuristics })));
console.log(`wrote ${path.relative(repoRoot, resultFile)}`);
fs.rmSync(work, { recursive: true, force: true });
