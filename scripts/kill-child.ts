/**
 * The kill test's writer: appends passages through the ProjectStore as fast as it can (with document saves,
 * pipeline state, data files, checkpoints and snapshots in between) and prints `accepted <id>` the moment each
 * acceptPassage has resolved. The kill test SIGKILLs it at random moments.
 */
import fs from 'node:fs';
import { buildDocumentJson } from '../electron/engine/project/document/build.ts';
import { ProjectStore } from '../electron/engine/project/store.ts';
import { passage } from '../electron/engine/project/testing.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: kill-child.ts <project-dir>');
const store = await ProjectStore.open(dir);
// A checkpoint straight after open: what the journal replay recovered must reach the state files before the journal is emptied.
await store.checkpoint();
const points = store.plan().outline.map((p) => p.id);
const words = 'the keeper climbed the stairs and lit the lamp while the storm broke over the island'.split(' ');
for (;;) {
  const n = store.passages().length;
  const length = 20 + ((n * 37) % 400);
  const text = Array.from({ length }, (_, i) => words[(i + n) % words.length]).join(' ') + '.';
  const p = passage(`k${n}`, points[n % points.length] ?? 'p1', n, text);
  await store.acceptPassage(p);
  fs.writeSync(1, `accepted ${p.id}\n`);
  await store.savePipelineState({ step: 'drafting', done: n + 1, total: 10_000, currentPointId: p.pointId });
  fs.writeSync(1, `pipeline ${n + 1}\n`);
  if (n % 5 === 0) {
    await store.saveDocument(buildDocumentJson(store.plan(), store.passages()));
    fs.writeSync(1, `document ${store.passages().reduce((a, x) => a + Math.max(1, x.text.split(/\n\s*\n/).length), 0)}\n`);
  }
  if (n % 9 === 0) {
    await store.writeJson('ledger', { facts: store.passages().map((x) => x.id) });
    fs.writeSync(1, `ledger ${store.passages().length}\n`);
  }
  if (n % 97 === 0) await store.checkpoint();
  if (n % 151 === 0) await store.snapshots.create(`auto ${n}`);
}
