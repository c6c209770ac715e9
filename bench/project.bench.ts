/**
 * `npm run bench:project` — project storage and export speed on a 100 000-word project (50 sections × 20 passages ×
 * 100 words), written to bench/results/project.json:
 *   - acceptPassage latency (journaled + fdatasync before it resolves) p50/p95;
 *   - saveDocument (the editor's autosave of the whole 100k-word Lexical document) p50/p95;
 *   - checkpoint time; open time from a clean checkpoint and with a full journal to replay;
 *   - export time and size per format (md, html, docx, epub, pdf through headless Chromium).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Passage, Plan } from '../electron/contract/contract.ts';
import { findChromium } from '../electron/engine/doctor.ts';
import { exportProject } from '../electron/engine/export/index.ts';
import { buildDocumentJson } from '../electron/engine/project/document/build.ts';
import { ProjectStore } from '../electron/engine/project/store.ts';
import { passage } from '../electron/engine/project/testing.ts';

const SECTIONS = 50;
const PER_SECTION = 20;
const WORDS = 100;
const vocabulary = 'the lighthouse keeper walked along a narrow path while storm clouds gathered over grey water and she remembered letters from her brother'.split(' ');

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const round = (x: number) => Math.round(x * 100) / 100;
async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-bench-project-'));
const dir = path.join(root, 'novel');
const plan: Plan = {
  kind: 'story', premise: 'A keeper and a map.', title: 'Bench Novel', setting: '', purpose: '', characters: [], keyFacts: [],
  outline: Array.from({ length: SECTIONS }, (_, s) => ({ id: `o${s}`, text: `Chapter ${s + 1}`, children: [] })), author: 'Bench', language: 'en',
};
const store = await ProjectStore.create(dir, { title: plan.title, kind: 'story' });
await store.savePlan(plan);

const accept: number[] = [];
const all: Passage[] = [];
for (let s = 0; s < SECTIONS; s++) {
  for (let i = 0; i < PER_SECTION; i++) {
    const n = s * PER_SECTION + i;
    const text = Array.from({ length: WORDS }, (_, w) => vocabulary[(n * 7 + w * 13) % vocabulary.length]).join(' ') + '.';
    const p = passage(`p${n}`, `o${s}`, i, text);
    all.push(p);
    accept.push((await time(() => store.acceptPassage(p)))[0]);
  }
}
const doc = buildDocumentJson(plan, all);
const docBytes = Buffer.byteLength(JSON.stringify(doc));
const saves: number[] = [];
for (let i = 0; i < 20; i++) saves.push((await time(() => store.saveDocument(doc)))[0]);
const [checkpointMs] = await time(() => store.checkpoint());
const words = store.summary().words;
await store.close();

const [openCleanMs, clean] = await time(() => ProjectStore.open(dir));
for (let i = 0; i < 399; i++) await clean.savePipelineState({ step: 'drafting', done: i, total: 1000 });
await clean.updatePassage({ ...all[0]!, text: 'Edited.' });
// Leave the journal full: copy the folder (as a kill would leave it) and open the copy.
const crashed = path.join(root, 'crashed');
fs.cpSync(dir, crashed, { recursive: true, filter: (src) => !src.endsWith('.lock') });
await clean.close();
const journalEntries = fs.readFileSync(path.join(crashed, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).length;
const [openReplayMs, replayed] = await time(() => ProjectStore.open(crashed));
if (replayed.passages()[0]!.text !== 'Edited.') throw new Error('replay lost the last edit');
await replayed.close();

const reader = await ProjectStore.open(dir);
const exports: Record<string, { ms: number; bytes: number } | { skipped: string }> = {};
for (const format of ['md', 'html', 'docx', 'epub', 'pdf'] as const) {
  if (format === 'pdf' && !findChromium()) {
    exports[format] = { skipped: 'no Chromium' };
    continue;
  }
  const [ms, r] = await time(() => exportProject(reader, { format, out: path.join(root, `book.${format}`) }));
  exports[format] = { ms: Math.round(ms), bytes: r.bytes };
}
await reader.close();

const result = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.versions.node, platform: `${process.platform}/${process.arch}` },
  project: { words, sections: SECTIONS, passages: all.length, documentJsonBytes: docBytes },
  acceptPassageMs: { p50: round(pct(accept, 50)), p95: round(pct(accept, 95)), max: round(Math.max(...accept)), count: accept.length },
  saveDocumentMs: { p50: round(pct(saves, 50)), p95: round(pct(saves, 95)), count: saves.length },
  checkpointMs: round(checkpointMs),
  openMs: { clean: round(openCleanMs), replay: round(openReplayMs), replayedEntries: journalEntries },
  exports,
};
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'results', 'project.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
fs.rmSync(root, { recursive: true, force: true });
