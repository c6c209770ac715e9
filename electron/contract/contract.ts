/**
 * The Longhand contract: the whole API between the UI (renderer, CLI) and the engine.
 *
 * Every request is `name -> { args, result }`, both zod schemas; every event the engine pushes is one
 * member of the `EngineEvent` union. Hosts validate requests at the boundary with `parseRequest`;
 * the UI imports only the types (and the channel names) from here.
 *
 * This file must stay free of Node and DOM imports: the renderer bundles it.
 */
import { z } from 'zod';

// ───────────────────────────── shared shapes ─────────────────────────────

export const DocKind = z.enum(['story', 'report', 'article']);
export type DocKind = z.infer<typeof DocKind>;

export const ExecutionProvider = z.enum(['cuda', 'dml', 'coreml', 'webgpu', 'cpu']);
export type ExecutionProvider = z.infer<typeof ExecutionProvider>;

export const Dtype = z.enum(['fp32', 'fp16', 'q8', 'q4', 'q4f16']);
export type Dtype = z.infer<typeof Dtype>;

/** An error the person can act on: what failed, where (field/file/limit), what to do. */
export const ApiError = z.object({
  code: z.enum([
    'invalid_request', // failed the schema: `field` names the path
    'unknown_request',
    'not_found', // a file, project, model or id
    'bad_input', // well-formed but unusable input (a model of the wrong kind, a truncated file…)
    'limit', // a size/context/token limit was exceeded
    'conflict', // e.g. a project locked by another instance, a run already in progress
    'cancelled',
    'unavailable', // a capability this machine lacks (no Chromium, no model installed…)
    'io', // the file system refused
    'network',
    'internal',
  ]),
  message: z.string(),
  field: z.string().optional(),
  file: z.string().optional(),
  hint: z.string().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export const SamplingOptions = z.object({
  maxTokens: z.number().int().min(1).max(32768).default(128),
  temperature: z.number().min(0).max(5).default(0.8),
  topK: z.number().int().min(0).default(0),
  topP: z.number().gt(0).max(1).default(1),
  minP: z.number().min(0).max(1).default(0),
  repetitionPenalty: z.number().min(0.5).max(3).default(1),
  frequencyPenalty: z.number().min(-2).max(2).default(0),
  stop: z.array(z.string().min(1)).max(16).default([]),
  seed: z.number().int().min(0).optional(),
});
export type SamplingOptions = z.infer<typeof SamplingOptions>;
export type SamplingOptionsInput = z.input<typeof SamplingOptions>;

export const GeneratorStatus = z.object({
  loaded: z.boolean(),
  modelDir: z.string().optional(),
  modelName: z.string().optional(),
  architecture: z.string().optional(),
  provider: ExecutionProvider.optional(),
  /** Why a GPU provider was not used, when the provider is `cpu`. */
  fallbackReason: z.string().optional(),
  contextLength: z.number().int().optional(),
  backend: z.enum(['onnx', 'endpoint']).optional(),
});
export type GeneratorStatus = z.infer<typeof GeneratorStatus>;

export const Candidate = z.object({
  text: z.string(),
  tokens: z.number().int(),
  finishReason: z.enum(['stop', 'length', 'eos', 'cancelled']),
  /** Mean log-probability per generated token (the coherence signal). */
  meanLogprob: z.number(),
});
export type Candidate = z.infer<typeof Candidate>;

export const GenerationStats = z.object({
  promptTokens: z.number().int(),
  generatedTokens: z.number().int(),
  seconds: z.number(),
  tokensPerSecond: z.number(),
  timeToFirstTokenMs: z.number(),
  provider: ExecutionProvider,
});
export type GenerationStats = z.infer<typeof GenerationStats>;

export const Scores = z.object({
  relevance: z.number(),
  coherence: z.number(),
  repetition: z.number(),
  combined: z.number(),
});
export type Scores = z.infer<typeof Scores>;

/** The reranker's weights: combined = relevance·wR + coherence·wC − repetition·wP. */
export const RerankWeights = z.object({ relevance: z.number().min(0).max(100), coherence: z.number().min(0).max(100), repetition: z.number().min(0).max(100) });
export type RerankWeights = z.infer<typeof RerankWeights>;

/** What lies behind one candidate's scores (the `rerank` breakdown). */
export const RerankDetail = z.object({
  /** The classifier's own score: cosine (bi-encoder) or log-odds of the positive label (cross-encoder). */
  relevanceRaw: z.number(),
  /** Share of the required names the passage mentions. */
  names: z.number(),
  /** Weighted share of the query's words the passage uses. */
  lexical: z.number(),
  coherenceSource: z.enum(['logprob', 'classifier', 'none']),
  repetition: z.object({
    penalty: z.number(),
    promptOverlap: z.number(),
    selfOverlap: z.number(),
    duplicateSentences: z.number(),
    meta: z.array(z.string()),
    personShift: z.object({ expected: z.enum(['first', 'second', 'third']), found: z.enum(['first', 'second', 'third']) }).nullable(),
  }),
});
export type RerankDetail = z.infer<typeof RerankDetail>;

// ── plan ──
export interface OutlinePoint {
  id: string;
  text: string;
  children: OutlinePoint[];
  /** Target words for this leaf (length control); absent until planned. */
  targetWords?: number;
}
export const OutlinePoint: z.ZodType<OutlinePoint> = z.lazy(() =>
  z.object({
    id: z.string().min(1).max(64),
    text: z.string().max(4000),
    children: z.array(OutlinePoint).max(200),
    targetWords: z.number().int().positive().optional(),
  }),
);

export const Entity = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  description: z.string().max(8000).default(''),
  facts: z.array(z.string().max(2000)).max(500).default([]),
});
export type Entity = z.infer<typeof Entity>;

export const Plan = z.object({
  kind: DocKind,
  /** The premise (story) or the brief (report, article). */
  premise: z.string().max(200_000),
  title: z.string().max(500).default(''),
  /** Story: setting. Report/article: audience. */
  setting: z.string().max(8000).default(''),
  /** Report/article: purpose. */
  purpose: z.string().max(8000).default(''),
  /** Story: characters. Report/article: key entities and facts. */
  characters: z.array(Entity).max(200).default([]),
  keyFacts: z.array(z.string().max(2000)).max(500).default([]),
  outline: z.array(OutlinePoint).max(500).default([]),
  /** Target length of the whole document in words (CJK: characters). */
  targetWords: z.number().int().positive().max(1_000_000).optional(),
  author: z.string().max(200).default(''),
  language: z.string().max(20).default('en'),
});
export type Plan = z.infer<typeof Plan>;

export const PassageCandidate = z.object({
  text: z.string(),
  scores: Scores,
  tokens: z.number().int(),
});
export type PassageCandidate = z.infer<typeof PassageCandidate>;

export const Passage = z.object({
  id: z.string(),
  pointId: z.string(),
  index: z.number().int(),
  text: z.string(),
  chosen: z.number().int(),
  candidates: z.array(PassageCandidate),
  editedByUser: z.boolean().default(false),
  seconds: z.number().optional(),
});
export type Passage = z.infer<typeof Passage>;

export const Flag = z.object({
  id: z.string(),
  passageId: z.string(),
  entity: z.string(),
  fact: z.string(),
  evidence: z.string(),
  status: z.enum(['open', 'fixed', 'kept', 'dismissed']),
});
export type Flag = z.infer<typeof Flag>;

export const PipelineStep = z.enum(['idle', 'planning', 'drafting', 'scoring', 'revising', 'paused', 'done', 'stopped', 'error']);
export type PipelineStep = z.infer<typeof PipelineStep>;

export const PipelineState = z.object({
  step: PipelineStep,
  /** Leaves done / total. */
  done: z.number().int(),
  total: z.number().int(),
  currentPointId: z.string().optional(),
  etaSeconds: z.number().optional(),
  tokensPerSecond: z.number().optional(),
  message: z.string().optional(),
});
export type PipelineState = z.infer<typeof PipelineState>;

export const WriteOptions = z.object({
  candidates: z.number().int().min(1).max(32).default(4),
  passagesPerPoint: z.number().int().min(1).max(64).default(2),
  maxTokensPerPassage: z.number().int().min(8).max(2048).default(96),
  temperature: z.number().min(0).max(5).default(0.8),
  promptTokenBudget: z.number().int().min(64).max(32768).default(384),
  seed: z.number().int().min(0).optional(),
  revise: z.boolean().default(true),
  /** An OpenAI-compatible server (…/v1) to generate with instead of the loaded local model. */
  endpoint: z.url().max(2000).optional(),
  /** A relevance model folder for the reranker (default: the installed/embedded one). */
  relevanceModel: z.string().min(1).max(4096).optional(),
});
export type WriteOptions = z.infer<typeof WriteOptions>;

/**
 * The document is Lexical JSON. Longhand's own data rides on nodes as Lexical NodeState, serialized under "$":
 * - a section heading (`heading`, tag h1..h6 by outline depth) carries `"$": { "lhSection": "<outline point id>" }`;
 * - a generated paragraph carries `"$": { "lhPassage": PassageProvenance }` (a passage may span several paragraphs,
 *   each carrying the same passageId). Text the user typed has no lhPassage; editing a generated paragraph sets
 *   `edited: true` on its provenance.
 */
export const DocStateKey = { section: 'lhSection', passage: 'lhPassage' } as const;
export const PassageProvenance = z.object({
  passageId: z.string(),
  pointId: z.string(),
  candidate: z.number().int(),
  scores: Scores.optional(),
  edited: z.boolean().optional(),
});
export type PassageProvenance = z.infer<typeof PassageProvenance>;

/** Lexical's serialized editor state; validated structurally by the editor itself. */
export const DocumentJson = z.object({ root: z.record(z.string(), z.unknown()) }).passthrough();
export type DocumentJson = z.infer<typeof DocumentJson>;

export const ProjectSummary = z.object({
  dir: z.string(),
  title: z.string(),
  kind: DocKind,
  words: z.number().int(),
  sections: z.number().int(),
  passages: z.number().int(),
  step: PipelineStep,
  updatedAt: z.string(),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const ProjectState = z.object({
  summary: ProjectSummary,
  plan: Plan,
  document: DocumentJson.nullable(),
  passages: z.array(Passage),
  flags: z.array(Flag),
  pipeline: PipelineState,
  /** Damaged files set aside on open, for the user to be told. */
  recovered: z.array(z.object({ file: z.string(), movedTo: z.string(), reason: z.string() })),
});
export type ProjectState = z.infer<typeof ProjectState>;

export const Snapshot = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), words: z.number().int() });
export type Snapshot = z.infer<typeof Snapshot>;

export const ExportFormat = z.enum(['md', 'html', 'docx', 'pdf', 'epub']);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const ModelRole = z.enum(['generator', 'relevance', 'nli']);
export type ModelRole = z.infer<typeof ModelRole>;

export const InstalledModel = z.object({
  id: z.string(),
  role: ModelRole,
  dir: z.string(),
  sizeBytes: z.number().int(),
  source: z.enum(['builtin', 'hub', 'import']),
  name: z.string().optional(),
  /** What the ONNX graph is, as inspected: a decoder (generator), a classifier (cross-encoder/NLI), an embedder. */
  kind: z.enum(['decoder', 'classifier', 'embedder']).optional(),
  /** Imported without copying: `dir` is the person's own folder, which `models.remove` leaves alone. */
  linked: z.boolean().optional(),
  repo: z.string().optional(),
  revision: z.string().optional(),
  dtype: Dtype.optional(),
});
export type InstalledModel = z.infer<typeof InstalledModel>;

export const CatalogEntry = z.object({
  id: z.string(),
  name: z.string(),
  role: ModelRole,
  repo: z.string(),
  revision: z.string(),
  dtype: Dtype.optional(),
  files: z.array(z.object({ path: z.string(), size: z.number().int().optional(), sha256: z.string().optional() })),
  sizeBytes: z.number().int(),
  license: z.string(),
  minRamGb: z.number(),
  minVramGb: z.number().optional(),
  notes: z.string().optional(),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const DoctorReport = z.object({
  version: z.string(),
  node: z.string(),
  electron: z.string().nullable(),
  electronBinary: z.object({ present: z.boolean(), path: z.string().nullable() }),
  chromium: z.object({ present: z.boolean(), path: z.string().nullable() }),
  platform: z.string(),
  arch: z.string(),
  cpus: z.number().int(),
  ramGb: z.number(),
  onnxruntime: z.object({
    version: z.string().nullable(),
    /** Execution providers usable on this machine (cpu always; GPU ones whose libraries are present). */
    providers: z.array(z.string()),
    /** Why a listed provider is not usable, or what it needs at run time. */
    notes: z.array(z.string()).optional(),
    error: z.string().optional(),
  }),
  home: z.string(),
  projectsDir: z.string(),
  modelsDir: z.string(),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

const dir = z.string().min(1).max(4096);
const id = z.string().min(1).max(128);

// ───────────────────────────── requests ─────────────────────────────

export const requests = {
  // system
  'system.health': { args: z.object({}), result: z.object({ ok: z.boolean(), version: z.string(), uptimeMs: z.number(), host: z.enum(['electron', 'web', 'inprocess']), generator: GeneratorStatus }) },
  'system.doctor': { args: z.object({}), result: DoctorReport },

  // generator
  'generator.status': { args: z.object({}), result: GeneratorStatus },
  'generator.load': {
    args: z.object({ modelDir: dir, dtype: Dtype.optional(), providers: z.array(ExecutionProvider).min(1).optional() }),
    result: GeneratorStatus,
  },
  'generator.unload': { args: z.object({}), result: GeneratorStatus },
  'generator.generate': {
    args: z.object({
      requestId: id,
      prompt: z.string().max(2_000_000),
      candidates: z.number().int().min(1).max(32).default(1),
      options: SamplingOptions.partial().default({}),
    }),
    result: z.object({ candidates: z.array(Candidate), stats: GenerationStats }),
  },
  'generator.cancel': { args: z.object({ requestId: id }), result: z.object({ cancelled: z.boolean() }) },

  // projects
  'project.create': { args: z.object({ dir: dir.optional(), title: z.string().max(500), kind: DocKind, premise: z.string().max(200_000).default('') }), result: ProjectState },
  'project.open': { args: z.object({ dir }), result: ProjectState },
  'project.close': { args: z.object({ dir }), result: z.object({ closed: z.boolean() }) },
  /** Save as / duplicate: copies the project (history and references included) to `to` and opens the copy. */
  'project.duplicate': { args: z.object({ dir, to: dir }), result: ProjectState },
  'project.recent': { args: z.object({}), result: z.array(ProjectSummary) },
  'project.saveDocument': { args: z.object({ dir, document: DocumentJson }), result: z.object({ savedAt: z.string() }) },
  'project.savePlan': { args: z.object({ dir, plan: Plan }), result: z.object({ savedAt: z.string() }) },
  'project.snapshot.create': { args: z.object({ dir, name: z.string().min(1).max(200) }), result: Snapshot },
  'project.snapshot.list': { args: z.object({ dir }), result: z.array(Snapshot) },
  'project.snapshot.restore': { args: z.object({ dir, id }), result: ProjectState },
  'project.snapshot.diff': {
    args: z.object({ dir, from: id, to: z.union([id, z.literal('current')]) }),
    result: z.array(z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() })),
  },
  'project.export': {
    args: z.object({ dir, format: ExportFormat, out: dir, includePlan: z.boolean().default(false), includeScores: z.boolean().default(false) }),
    result: z.object({ out: z.string(), bytes: z.number().int() }),
  },

  // the Re3 loop
  'plan.generate': {
    args: z.object({ dir, part: z.enum(['all', 'title', 'setting', 'purpose', 'characters', 'keyFacts', 'outline']).default('all') }),
    result: Plan,
  },
  'plan.expand': { args: z.object({ dir, pointId: id }), result: Plan },
  /** A plan file (docs/plan-format.md) as the project's plan; `missing` lists the parts plan.generate can fill. */
  'plan.import': {
    args: z.object({ dir, text: z.string().min(1).max(5_000_000), file: z.string().max(4096).optional() }),
    result: z.object({ plan: Plan, missing: z.array(z.enum(['title', 'setting', 'purpose', 'characters', 'keyFacts', 'outline'])) }),
  },
  /** The project's plan as a plan file (JSON text). */
  'plan.export': { args: z.object({ dir }), result: z.object({ text: z.string() }) },
  'write.start': { args: z.object({ dir, options: WriteOptions.partial().default({}) }), result: PipelineState },
  'write.pause': { args: z.object({ dir }), result: PipelineState },
  'write.resume': { args: z.object({ dir }), result: PipelineState },
  'write.stop': { args: z.object({ dir }), result: PipelineState },
  /** Skips an outline point (its leaves are not drafted); `undo` drafts it again on the next run. */
  'write.skip': { args: z.object({ dir, pointId: id, undo: z.boolean().default(false) }), result: PipelineState },
  'passage.choose': { args: z.object({ dir, passageId: id, candidate: z.number().int().min(0) }), result: Passage },
  'passage.regenerate': { args: z.object({ dir, passageId: id }), result: Passage },
  'passage.edit': { args: z.object({ dir, passageId: id, text: z.string().max(2_000_000) }), result: Passage },
  'selection.transform': {
    args: z.object({
      dir,
      action: z.enum(['rewrite', 'expand', 'shorten', 'continue']),
      text: z.string().min(1).max(200_000),
      before: z.string().max(200_000).default(''),
      candidates: z.number().int().min(1).max(16).default(3),
    }),
    result: z.array(PassageCandidate),
  },
  'flag.resolve': { args: z.object({ dir, flagId: id, action: z.enum(['fix', 'dismiss', 'keep']) }), result: Flag },
  'reference.add': { args: z.object({ dir, name: z.string().min(1).max(255), text: z.string().max(20_000_000) }), result: z.object({ name: z.string(), chunks: z.number().int() }) },
  'reference.remove': { args: z.object({ dir, name: z.string().min(1).max(255) }), result: z.object({ removed: z.boolean() }) },
  'reference.list': { args: z.object({ dir }), result: z.array(z.object({ name: z.string(), chunks: z.number().int(), bytes: z.number().int() })) },

  // scoring
  'score.rerank': {
    args: z.object({
      query: z.string().min(1).max(100_000),
      prefix: z.string().max(2_000_000).default(''),
      passages: z.array(z.string().max(1_100_000)).min(1).max(256),
      /** The generator's mean log-probability per token of each passage (coherence); same order as passages. */
      meanLogprobs: z.array(z.number()).max(256).optional(),
      /** The prompt the passages were generated from (5-gram copying). */
      prompt: z.string().max(2_000_000).optional(),
      /** Names the outline point requires; default: the capitalized names of the query. */
      requiredNames: z.array(z.string().min(1).max(200)).max(100).optional(),
      kind: DocKind.default('story'),
      weights: RerankWeights.partial().optional(),
      /** A relevance model folder; default: the relevance role's model (the embedded one unless another is chosen). */
      model: z.string().min(1).max(4096).optional(),
    }),
    result: z.object({
      winner: z.number().int(),
      candidates: z.array(z.object({ text: z.string(), scores: Scores })),
      /** Per candidate, the parts behind its scores. */
      details: z.array(RerankDetail),
      model: z.object({ dir: z.string(), kind: z.enum(['cross-encoder', 'bi-encoder']), provider: ExecutionProvider }),
      weights: RerankWeights,
    }),
  },

  // models
  'models.catalog': { args: z.object({}), result: z.array(CatalogEntry) },
  'models.list': { args: z.object({ project: dir.optional() }), result: z.object({ installed: z.array(InstalledModel), roles: z.record(ModelRole, z.string().nullable()) }) },
  'models.pull': { args: z.object({ idOrRepo: z.string().min(1).max(300), revision: z.string().max(200).optional(), dtype: Dtype.optional(), role: ModelRole.optional(), endpoint: z.url().optional() }), result: InstalledModel },
  'models.cancel': { args: z.object({ idOrRepo: z.string().min(1).max(300) }), result: z.object({ cancelled: z.boolean() }) },
  'models.import': { args: z.object({ dir, role: ModelRole, copy: z.boolean().default(false) }), result: InstalledModel },
  'models.remove': { args: z.object({ id }), result: z.object({ removed: z.boolean() }) },
  /** Sets the model for a role globally, or for one project when `project` is given; `id: "none"` clears it. */
  'models.use': { args: z.object({ role: ModelRole, id, project: dir.optional() }), result: z.object({ role: ModelRole, id: z.string() }) },
  'models.hardware': {
    args: z.object({}),
    result: z.object({ providers: z.array(z.string()), gpu: z.string().nullable(), vramGb: z.number().nullable().optional(), ramGb: z.number(), recommended: z.array(z.string()) }),
  },
} as const satisfies Record<string, { args: z.ZodType; result: z.ZodType }>;

export type RequestName = keyof typeof requests;
export type RequestArgs<N extends RequestName> = z.input<(typeof requests)[N]['args']>;
export type ParsedArgs<N extends RequestName> = z.output<(typeof requests)[N]['args']>;
export type RequestResult<N extends RequestName> = z.output<(typeof requests)[N]['result']>;
export const requestNames = Object.keys(requests) as RequestName[];

export type Reply<N extends RequestName> = { ok: true; result: RequestResult<N> } | { ok: false; error: ApiError };

// ───────────────────────────── events ─────────────────────────────

export const EngineEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('engine.health'), ok: z.boolean(), message: z.string().optional() }),
  z.object({ type: z.literal('generator.status'), status: GeneratorStatus }),
  z.object({ type: z.literal('generation.tokens'), requestId: z.string(), candidate: z.number().int(), text: z.string() }),
  z.object({ type: z.literal('pipeline.state'), dir: z.string(), state: PipelineState }),
  z.object({ type: z.literal('plan.part'), dir: z.string(), part: z.string(), plan: Plan }),
  z.object({ type: z.literal('passage.tokens'), dir: z.string(), pointId: z.string(), passageId: z.string(), candidate: z.number().int(), text: z.string() }),
  z.object({ type: z.literal('passage.scored'), dir: z.string(), passageId: z.string(), candidates: z.array(PassageCandidate) }),
  z.object({ type: z.literal('passage.accepted'), dir: z.string(), passage: Passage }),
  z.object({ type: z.literal('flag.raised'), dir: z.string(), flag: Flag }),
  z.object({ type: z.literal('flag.updated'), dir: z.string(), flag: Flag }),
  z.object({ type: z.literal('project.saved'), dir: z.string(), at: z.string() }),
  z.object({ type: z.literal('project.recovered'), dir: z.string(), files: z.array(z.string()) }),
  z.object({ type: z.literal('progress'), task: z.string(), label: z.string(), done: z.number(), total: z.number(), etaSeconds: z.number().optional() }),
  z.object({ type: z.literal('download.progress'), idOrRepo: z.string(), file: z.string(), bytes: z.number(), total: z.number(), bytesPerSecond: z.number(), etaSeconds: z.number().optional(), state: z.enum(['downloading', 'installed', 'failed', 'cancelled']).optional() }),
  z.object({ type: z.literal('models.changed') }),
  z.object({ type: z.literal('error'), error: ApiError, context: z.string().optional() }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;
export type EngineEventType = EngineEvent['type'];

// ───────────────────────────── the API object ─────────────────────────────

/** What the renderer sees: one async function per request, and an event subscription. */
export interface LonghandApi {
  call<N extends RequestName>(name: N, args: RequestArgs<N>): Promise<Reply<N>>;
  /** Returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
}

/** IPC channel names shared by main, preload and the engine process. */
export const Channel = {
  call: 'longhand:call',
  event: 'longhand:event',
} as const;

// ───────────────────────────── validation ─────────────────────────────

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}

export type ParsedRequest = { ok: true; name: RequestName; args: unknown } | { ok: false; error: ApiError };

/** Validates a raw request (from IPC, HTTP or the CLI). Never throws. */
export function parseRequest(name: unknown, args: unknown): ParsedRequest {
  if (!isRequestName(name)) {
    return {
      ok: false,
      error: { code: 'unknown_request', message: `Unknown request ${JSON.stringify(name)}.`, hint: `Known requests: ${requestNames.join(', ')}.` },
    };
  }
  const parsed = requests[name].args.safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
    return {
      ok: false,
      error: { code: 'invalid_request', message: `${name}: ${field}: ${issue?.message ?? 'invalid'}`, field, hint: 'Fix the named field and send the request again.' },
    };
  }
  return { ok: true, name, args: parsed.data };
}
