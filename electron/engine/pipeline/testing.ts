/** Test fixtures for the pipeline: a real tiny ONNX decoder from the repo's builder, the embedded relevance model, real project folders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineEvent, Plan } from '../../contract/contract.ts';
import { buildTestModel } from '../../../models/builder/build-test-model.ts';
import { OnnxGenerator } from '../inference/generator.ts';
import { ProjectStore } from '../project/store.ts';
import { embeddedRelevanceModelDir } from '../scoring/embedded.ts';
import { Relevance } from '../scoring/relevance.ts';
import { ScoringReranker } from '../scoring/reranker.ts';
import type { GenerateRequest, GenerateResult, TextGenerator } from '../services/types.ts';
import { generatorJudge } from './judge.ts';
import type { LoopDeps } from './loop.ts';
import { importPlan } from './plan-file.ts';
import { defaultTemplate } from './templates.ts';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A tiny random-weight llama (real BPE tokenizer, 256-token context) built once per process. */
let model: Promise<string> | null = null;
export function tinyModelDir(): Promise<string> {
  model ??= (async () => {
    const out = tempDir('lh-pipe-model-');
    await buildTestModel({ arch: 'llama', out, size: 'tiny', seed: 7 });
    return out;
  })();
  return model;
}

/** Records every prompt and its token count, passing the call to the real generator. */
export class RecordingGenerator implements TextGenerator {
  readonly prompts: Array<{ prompt: string; tokens: number }> = [];
  constructor(readonly inner: TextGenerator) {}
  status() {
    return this.inner.status();
  }
  countTokens(text: string) {
    return this.inner.countTokens(text);
  }
  contextLength() {
    return this.inner.contextLength();
  }
  generate(r: GenerateRequest): Promise<GenerateResult> {
    this.prompts.push({ prompt: r.prompt, tokens: this.inner.countTokens(r.prompt) });
    return this.inner.generate(r);
  }
  dispose() {
    return this.inner.dispose();
  }
}

export async function realDeps(store: ProjectStore, events: EngineEvent[] = []): Promise<LoopDeps & { generator: RecordingGenerator }> {
  const generator = new RecordingGenerator(await OnnxGenerator.load(await tinyModelDir()));
  const reranker = new ScoringReranker(await Relevance.load(embeddedRelevanceModelDir()), { kind: store.plan().kind });
  return { store, generator, reranker, knowledge: null, judge: generatorJudge(generator, defaultTemplate('story').revise.judge), emit: (e) => events.push(e) };
}

export const storyPlan = (extra: Record<string, unknown> = {}): Plan =>
  importPlan(
    JSON.stringify({
      kind: 'story',
      premise: 'Anna, a girl with blue eyes, finds a lost dog in the park and brings it home.',
      title: 'The Lost Dog',
      setting: 'A small town by the sea.',
      characters: [{ name: 'Anna', description: 'a kind girl', facts: ["Anna's eyes are blue"] }, { name: 'Tom', description: 'her brother' }],
      outline: ['Anna finds a dog in the park.', { text: 'She takes the dog home.', children: ['Tom sees the dog.', 'Mom says the dog can stay.'] }],
      ...extra,
    }),
  ).plan;

export async function newProject(plan: Plan = storyPlan()): Promise<ProjectStore> {
  const store = await ProjectStore.create(path.join(tempDir('lh-pipe-'), 'project'), { title: plan.title, kind: plan.kind, premise: plan.premise });
  await store.savePlan(plan);
  return store;
}
