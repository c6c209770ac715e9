import type { DocumentJson } from '../../contract/contract.ts';
import { buildDocumentJson } from '../project/document/build.ts';
import { ProjectStore } from '../project/store.ts';
import { passage, samplePlan } from '../project/testing.ts';

/** A small but complete project for export tests: outline, passages, emphasis, a list, a quote, hostile text. */
export async function exportFixture(dir: string): Promise<ProjectStore> {
  const store = await ProjectStore.create(dir, { title: 'The Keeper’s Map', kind: 'story', premise: 'p' });
  const plan = samplePlan();
  await store.savePlan(plan);
  const passages = [
    passage('a1', 'p1', 0, 'Mara found the bottle wedged between two rocks.\n\nIt was green & old <script>alert("x")</script>.'),
    passage('a2', 'p1a', 0, 'The tide went out further than she had ever seen.'),
    passage('a3', 'p2', 0, 'The rowing boat creaked. <img src=x onerror="alert(1)">'),
  ];
  for (const p of passages) await store.acceptPassage(p);
  const doc = buildDocumentJson(plan, passages);
  const kids = doc.root.children as Array<Record<string, unknown>>;
  kids.push(
    { type: 'paragraph', version: 1, direction: 'ltr', format: '', indent: 0, textFormat: 0, textStyle: '', children: [
      { type: 'text', version: 1, text: 'She was ', format: 0, detail: 0, mode: 'normal', style: '' },
      { type: 'text', version: 1, text: 'very', format: 1, detail: 0, mode: 'normal', style: '' },
      { type: 'text', version: 1, text: ' ', format: 0, detail: 0, mode: 'normal', style: '' },
      { type: 'text', version: 1, text: 'tired', format: 2, detail: 0, mode: 'normal', style: '' },
      { type: 'text', version: 1, text: '.', format: 0, detail: 0, mode: 'normal', style: '' },
    ] },
    { type: 'list', version: 1, listType: 'bullet', start: 1, tag: 'ul', direction: 'ltr', format: '', indent: 0, children: [
      { type: 'listitem', version: 1, value: 1, direction: 'ltr', format: '', indent: 0, children: [{ type: 'text', version: 1, text: 'rope', format: 0, detail: 0, mode: 'normal', style: '' }] },
      { type: 'listitem', version: 1, value: 2, direction: 'ltr', format: '', indent: 0, children: [{ type: 'text', version: 1, text: 'lantern', format: 0, detail: 0, mode: 'normal', style: '' }] },
    ] },
    { type: 'quote', version: 1, direction: 'ltr', format: '', indent: 0, children: [{ type: 'text', version: 1, text: 'Keep the light burning.', format: 0, detail: 0, mode: 'normal', style: '' }] },
  );
  await store.saveDocument(doc as DocumentJson);
  // Accepted after the last document save: export must still include it (reconciliation).
  await store.acceptPassage(passage('a4', 'p3', 0, 'She came home at dusk.'));
  return store;
}

export const fixtureHeadings = ['The Bottle', 'Low Tide', 'The Crossing', 'Home Again'];
export const fixtureTexts = ['Mara found the bottle wedged between two rocks.', 'The tide went out further', 'The rowing boat creaked.', 'She came home at dusk.', 'Keep the light burning.', 'lantern'];
