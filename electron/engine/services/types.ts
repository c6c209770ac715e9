/**
 * The service interfaces the pipeline consumes. Implementations live in inference/ (generator, classifiers),
 * scoring/ (reranker) and project/ (storage); the pipeline depends on these shapes only, so one backend can be
 * swapped for another (local ONNX generator or an OpenAI-compatible endpoint).
 */
import type { Candidate, GenerationStats, GeneratorStatus, SamplingOptions, Scores } from '../../contract/contract.ts';

export interface GenerateRequest {
  prompt: string;
  /** k candidates from one prompt, in one batch (prefill once). */
  candidates: number;
  sampling: SamplingOptions;
  signal?: AbortSignal;
  /** Streaming: called with each new piece of decoded text of candidate `candidate`. */
  onText?: (candidate: number, text: string) => void;
}

export interface GenerateResult {
  candidates: Candidate[];
  stats: GenerationStats;
}

/** A text generator: the local ONNX model, or an OpenAI-compatible endpoint. */
export interface TextGenerator {
  status(): GeneratorStatus;
  /** Tokens of `text` under this generator's tokenizer (prompt budgets are counted with it). */
  countTokens(text: string): number;
  /** The model's context window in tokens. */
  contextLength(): number;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  dispose(): Promise<void>;
}

/** A bi-encoder: sentence embeddings, L2-normalized. */
export interface Embedder {
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** A cross-encoder / sequence classifier: one score per (query, passage) pair, and labels for NLI. */
export interface PairClassifier {
  readonly labels: string[];
  /** Per pair, the probability of each label (softmax over logits), in label order. */
  classify(pairs: Array<[string, string]>): Promise<number[][]>;
}

export interface RerankContext {
  /** The outline point / section goal the passage must realize. */
  query: string;
  /** The text so far (the coherence context). */
  prefix: string;
  /** The prompt the candidates were generated from (for 5-gram overlap). */
  prompt?: string;
  /** Names the outline point requires (characters/entities). */
  requiredNames?: string[];
}

export interface RerankInput {
  text: string;
  /** The generator's mean log-probability of the candidate, when known (the coherence signal). */
  meanLogprob?: number;
}

export interface RerankResult {
  winner: number;
  candidates: Array<{ text: string; scores: Scores }>;
}

export interface Reranker {
  rerank(context: RerankContext, candidates: RerankInput[]): Promise<RerankResult>;
}

/** Judges whether `claim` contradicts `fact` (NLI when installed, else a yes/no generator judgement). */
export interface ContradictionJudge {
  contradicts(fact: string, claim: string): Promise<{ contradicts: boolean; confidence: number }>;
}
