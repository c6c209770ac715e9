import { describe, expect, it } from 'vitest';
import type { DocumentJson } from '../../../contract/contract.ts';
import { passage, samplePlan } from '../testing.ts';
import { buildDocumentJson, countWords, lexicalToBlocks, reconcileDocument } from './index.ts';

describe('document model', () => {
  it('buildDocumentJson: a heading per outline point by depth, passages as paragraphs with provenance', () => {
    const doc = buildDocumentJson(samplePlan(), [passage('a2', 'p1', 1, 'Second.'), passage('a1', 'p1', 0, 'First.\n\nStill first.'), passage('x', 'gone', 0, 'Orphan.')]);
    const kids = doc.root.children as Array<Record<string, unknown>>;
    expect(kids.map((k) => k.type === 'heading' ? `${k.tag}:${(k.$ as { lhSection: string }).lhSection}` : (k.$ as { lhPassage: { passageId: string } }).lhPassage.passageId)).toEqual([
      'h1:p1', 'a1', 'a1', 'a2', 'h2:p1a', 'h1:p2', 'h1:p3', 'x',
    ]);
    expect(kids[1]).toMatchObject({ type: 'paragraph', $: { lhPassage: { passageId: 'a1', pointId: 'p1', candidate: 0, scores: { relevance: 0.8 } } } });
  });

  it('lexicalToBlocks: emphasis, line breaks, nested lists, quotes, unknown blocks kept as text', () => {
    const t = (text: string, format = 0) => ({ type: 'text', text, format });
    const doc: DocumentJson = {
      root: {
        type: 'root',
        children: [
          { type: 'heading', tag: 'h2', children: [t('Intro')] },
          { type: 'paragraph', children: [t('a '), t('b', 1), t(' '), t('c', 3), { type: 'linebreak' }, { type: 'link', children: [t('link')] }] },
          { type: 'list', listType: 'number', children: [
            { type: 'listitem', children: [t('one')] },
            { type: 'listitem', children: [{ type: 'list', listType: 'number', children: [{ type: 'listitem', children: [t('one.a')] }] }] },
          ] },
          { type: 'quote', children: [t('q')] },
          { type: 'code', children: [t('x = 1')] },
          { type: 'horizontalrule' },
        ],
      },
    };
    expect(lexicalToBlocks(doc)).toEqual([
      { type: 'heading', level: 2, text: 'Intro' },
      { type: 'paragraph', inlines: [{ text: 'a ' }, { text: 'b', bold: true }, { text: ' ' }, { text: 'c', bold: true, italic: true }, { text: '\n' }, { text: 'link' }] },
      { type: 'list', ordered: true, items: [{ inlines: [{ text: 'one' }], depth: 0 }, { inlines: [{ text: 'one.a' }], depth: 1 }] },
      { type: 'quote', inlines: [{ text: 'q' }] },
      { type: 'paragraph', inlines: [{ text: 'x = 1' }] },
    ]);
  });

  it('reconcileDocument inserts accepted passages missing from the document under their section, keeps typed text', () => {
    const plan = samplePlan();
    const doc = buildDocumentJson(plan, [passage('a1', 'p1', 0, 'Generated one.')]);
    (doc.root.children as unknown[]).splice(2, 0, { type: 'paragraph', children: [{ type: 'text', text: 'Typed by me.', format: 0 }] });
    const out = reconcileDocument(doc, plan, [passage('a1', 'p1', 0, 'Changed in store.'), passage('a2', 'p1', 1, 'Late one.'), passage('b1', 'p2', 0, 'Crossing.')]);
    const texts = lexicalToBlocks(out).map((b) => (b.type === 'heading' ? `# ${b.text}` : b.type === 'paragraph' ? b.inlines.map((i) => i.text).join('') : b.type));
    expect(texts).toEqual(['# The Bottle', 'Generated one.', 'Typed by me.', 'Late one.', '# Low Tide', '# The Crossing', 'Crossing.', '# Home Again']);
    expect(reconcileDocument(out, plan, [passage('a2', 'p1', 1, 'x')])).toBe(out);
  });

  it('counts words, CJK characters one each', () => {
    expect(countWords("The keeper's map — 3 pages, well-worn.")).toBe(6);
    expect(countWords('灯台守は地図を見つけた')).toBe(11);
    expect(countWords('')).toBe(0);
  });
});
