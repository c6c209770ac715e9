/**
 * `npm run bench:rerank` — the reranker's measures (issue 4), written to bench/results/rerank.json:
 *   - top-1 relevance accuracy on bench/relevance-devset.json (4 candidates per outline point: random = 25%),
 *     raw classifier and calibrated (classifier + required names), with the calibration refitted here and a
 *     leave-one-document-out estimate that does not score a document with weights fitted on it;
 *   - pairs scored per second: the embedded model, and a MiniLM-sized cross-encoder built by models/builder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEncoderFolder, ENCODER_SIZES } from '../models/builder/classifier.ts';
import { EMBEDDED_CALIBRATION, fitCalibration, logit, type Calibration, type LabelledSample } from '../electron/engine/scoring/calibration.ts';
import { loadClassifier } from '../electron/engine/scoring/classifier.ts';
import { embeddedRelevanceModelDir } from '../electron/engine/scoring/embedded.ts';
import { lexicalOverlap } from '../electron/engine/scoring/lexical.ts';
import { nameCoverage, namesIn } from '../electron/engine/scoring/names.ts';
import { Relevance } from '../electron/engine/scoring/relevance.ts';

/** The calibration committed before the dev set grew from 16 to 36 documents (fitted on its 12 tuning documents). */
const PREVIOUS_EMBEDDED_CALIBRATION: Calibration = { scale: 4.9179, names: 0.5166, lexical: 7.233, bias: -3.6704 };

interface DevDoc {
  kind: string;
  split: 'tuning' | 'holdout';
  title: string;
  points: Array<{ text: string; names: string[] }>;
  passages: string[];
}

const here = import.meta.dirname;
const devset = JSON.parse(fs.readFileSync(path.join(here, 'relevance-devset.json'), 'utf8')) as { documents: DevDoc[] };

interface Query {
  doc: number;
  split: DevDoc['split'];
  positive: number;
  raw: number[];
  names: number[];
  autoNames: number[];
  lexical: number[];
}

function top1(queries: Query[], score: (q: Query, i: number) => number): number {
  let ok = 0;
  for (const q of queries) {
    const s = q.raw.map((_, i) => score(q, i));
    if (s.indexOf(Math.max(...s)) === q.positive) ok++;
  }
  return ok / queries.length;
}

function samples(queries: Query[], names: 'names' | 'autoNames'): LabelledSample[] {
  return queries.flatMap((q) => q.raw.map((raw, i) => ({ raw, coverage: q[names][i]!, lexical: q.lexical[i]!, positive: i === q.positive })));
}

async function timePairs(score: () => Promise<unknown>, pairsPerCall: number, minSeconds = 3): Promise<{ pairsPerSecond: number; calls: number; seconds: number }> {
  await score();
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < minSeconds * 1000) {
    await score();
    calls++;
  }
  const seconds = (performance.now() - start) / 1000;
  return { pairsPerSecond: Math.round((calls * pairsPerCall) / seconds), calls, seconds: Number(seconds.toFixed(2)) };
}

const round = (x: number) => Number(x.toFixed(4));

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  const relevance = await Relevance.load(embeddedRelevanceModelDir());
  const queries: Query[] = [];
  for (const [d, doc] of devset.documents.entries()) {
    for (const [p, point] of doc.points.entries()) {
      queries.push({
        doc: d,
        split: doc.split,
        positive: p,
        raw: await relevance.raw(point.text, doc.passages),
        names: doc.passages.map((x) => nameCoverage(x, point.names)),
        autoNames: doc.passages.map((x) => nameCoverage(x, namesIn(point.text))),
        lexical: doc.passages.map((x) => lexicalOverlap(point.text, x)),
      });
    }
  }
  const tuning = queries.filter((q) => q.split === 'tuning');
  const holdout = queries.filter((q) => q.split === 'holdout');
  // The committed calibration is fitted on the tuning documents only; holdout documents are never fitted on.
  const fitted = fitCalibration(samples(tuning, 'names'));
  const calibrated = (c: Calibration, names: 'names' | 'autoNames') => (q: Query, i: number) => logit(c, q.raw[i]!, q[names][i]!, q.lexical[i]!);
  // Leave-one-document-out: each document is scored with weights fitted without it (over all documents, and over
  // the tuning documents alone, which is how the feature set and fitting options were chosen).
  const leaveOneOut = (pool: Query[]) => {
    let hits = 0;
    for (const d of new Set(pool.map((q) => q.doc))) {
      const c = fitCalibration(samples(pool.filter((q) => q.doc !== d), 'names'));
      const test = pool.filter((q) => q.doc === d);
      hits += top1(test, calibrated(c, 'names')) * test.length;
    }
    return round(hits / pool.length);
  };
  const splits = (score: (q: Query, i: number) => number) => ({
    all: round(top1(queries, score)),
    tuning: round(top1(tuning, score)),
    holdout: round(top1(holdout, score)),
  });

  // Throughput: one outline point against many ~200-word passages (Re3 drafts 256-token candidates).
  const long = devset.documents.flatMap((d) => [d.passages.join(' ')]).map((t) => t.split(/\s+/).slice(0, 200).join(' '));
  const passages = Array.from({ length: 64 }, (_, i) => long[i % long.length]!);
  const embedded = await timePairs(() => relevance.raw('Mara repairs the lamp before the storm.', passages), passages.length);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-bench-rerank-'));
  let minilm: Record<string, unknown>;
  try {
    const dir = path.join(tmp, 'minilm-cross-encoder');
    await buildEncoderFolder({ kind: 'cross-encoder', out: dir, dims: ENCODER_SIZES.minilm });
    const model = await loadClassifier(dir, { providers: ['cpu'] });
    if (model.kind !== 'cross-encoder') throw new Error('expected a cross-encoder');
    // Words of the builder's vocabulary: one token each, so a pair is ~256 tokens like a real MiniLM input.
    const words = 'the ship was lost at sea in the storm and she saw the lamp from the house by the river'.split(' ');
    const passage = Array.from({ length: 240 }, (_, i) => words[i % words.length]).join(' ');
    const pairs = Array.from({ length: 32 }, () => ['the storm at sea', passage] as [string, string]);
    const timing = await timePairs(() => model.model.classify(pairs), pairs.length, 5);
    minilm = { ...timing, tokensPerPair: 256, dims: ENCODER_SIZES.minilm, onnxBytes: fs.statSync(path.join(dir, 'onnx', 'model.onnx')).size };
    await model.model.dispose();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  await relevance.dispose();

  const result = {
    bench: 'rerank',
    date: new Date().toISOString(),
    machine: { loadAverage1m: { before: round(loadBefore), after: round(os.loadavg()[0]!) }, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
    devset: { documents: devset.documents.length, tuningDocuments: new Set(tuning.map((q) => q.doc)).size, holdoutDocuments: new Set(holdout.map((q) => q.doc)).size, queries: queries.length, tuningQueries: tuning.length, holdoutQueries: holdout.length, candidatesPerQuery: 4, randomTop1: 0.25 },
    accuracy: {
      note: 'top-1: the passage that realizes the point must score highest of the 4 passages of its document',
      embeddedRaw: splits((q, i) => q.raw[i]!),
      lexicalOnly: splits((q, i) => q.lexical[i]!),
      embeddedCalibrated: splits(calibrated(EMBEDDED_CALIBRATION, 'names')),
      embeddedCalibratedNamesFromQuery: splits(calibrated(EMBEDDED_CALIBRATION, 'autoNames')),
      previousCalibration: splits(calibrated(PREVIOUS_EMBEDDED_CALIBRATION, 'names')),
      leaveOneDocumentOut: leaveOneOut(queries),
      leaveOneTuningDocumentOut: leaveOneOut(tuning),
    },
    calibration: { committed: EMBEDDED_CALIBRATION, refittedOnTuning: { scale: round(fitted.scale), names: round(fitted.names), lexical: round(fitted.lexical), bias: round(fitted.bias) } },
    throughput: {
      embedded: { ...embedded, wordsPerPassage: 200, batch: passages.length, target: 500 },
      minilmCrossEncoder: minilm,
    },
  };
  fs.mkdirSync(path.join(here, 'results'), { recursive: true });
  const out = path.join(here, 'results', 'rerank.json');
  fs.writeFileSync(`${out}.tmp`, JSON.stringify(result, null, 2) + '\n');
  fs.renameSync(`${out}.tmp`, out);
  console.log(JSON.stringify(result, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
