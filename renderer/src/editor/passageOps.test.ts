import { describe, expect, it } from 'vitest';
import { $getRoot, $getState, createEditor, HISTORY_MERGE_TAG, HISTORY_PUSH_TAG, UNDO_COMMAND, REDO_COMMAND, type LexicalEditor } from 'lexical';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { ListItemNode, ListNode } from '@lexical/list';
import { createEmptyHistoryState, registerHistory } from '@lexical/history';
import { $appendToPassage, $passageParagraphs, $replacePassage, collectPassages } from './passageOps.ts';
import { parseProvenance, passageState, sectionState } from './docState.ts';
import { countWords } from './wordCount.ts';

function makeEditor(): LexicalEditor {
  return createEditor({ namespace: 't', nodes: [HeadingNode, QuoteNode, ListNode, ListItemNode], onError: (e) => { throw e; } });
}
const tick = () => new Promise((r) => setTimeout(r, 5));
const text = (e: LexicalEditor) => e.getEditorState().read(() => $getRoot().getTextContent());

describe('passage operations', () => {
  it('streams fragments into one paragraph under a section heading, and a whole passage is one undo step', async () => {
    const editor = makeEditor();
    registerHistory(editor, createEmptyHistoryState(), 0, () => Date.now(), undefined, 100);
    editor.update(() => $appendToPassage({ passageId: 'intro', pointId: 'x', text: 'Typed by hand.' }, 'Intro'), { discrete: true, tag: HISTORY_PUSH_TAG });
    const fragments = ['Once', ' upon', ' a time', '\n\nThe end', '.'];
    fragments.forEach((t, i) =>
      editor.update(() => $appendToPassage({ passageId: 'p1', pointId: 'o1', text: t }, 'Chapter one'), { discrete: true, tag: i === 0 ? HISTORY_PUSH_TAG : HISTORY_MERGE_TAG }),
    );
    editor.getEditorState().read(() => {
      const paras = $passageParagraphs('p1');
      expect(paras.map((p) => p.getTextContent())).toEqual(['Once upon a time', 'The end.']);
      expect($getState(paras[0]!, passageState)).toEqual({ passageId: 'p1', pointId: 'o1', candidate: 0 });
      const heading = $getRoot().getChildren().find((n) => $getState(n, sectionState) === 'o1');
      expect(heading?.getTextContent()).toBe('Chapter one');
    });
    editor.dispatchCommand(UNDO_COMMAND, undefined);
    await tick();
    expect(text(editor)).not.toContain('Once');
    expect(text(editor)).toContain('Typed by hand.');
    editor.dispatchCommand(REDO_COMMAND, undefined);
    await tick();
    expect(text(editor)).toContain('Once upon a time');
  });

  it('replaces a passage in place (a candidate swap) as its own undo step, and survives JSON round-trip', async () => {
    const editor = makeEditor();
    registerHistory(editor, createEmptyHistoryState(), 0, () => Date.now(), undefined, 100);
    editor.update(() => $appendToPassage({ passageId: 'p1', pointId: 'o1', text: 'First draft.' }, 'One'), { discrete: true, tag: HISTORY_PUSH_TAG });
    editor.update(() => $appendToPassage({ passageId: 'p2', pointId: 'o2', text: 'Second section.' }, 'Two'), { discrete: true, tag: HISTORY_PUSH_TAG });
    const scores = { relevance: 0.8, coherence: -1.2, repetition: 0.1, combined: 0.5 };
    editor.update(() => $replacePassage({ passageId: 'p1', pointId: 'o1', candidate: 2, scores }, 'Better draft.\n\nWith two paragraphs.', 'One'), { discrete: true, tag: HISTORY_PUSH_TAG });
    const order = () => editor.getEditorState().read(() => $getRoot().getChildren().map((n) => n.getTextContent()));
    expect(order()).toEqual(['One', 'Better draft.', 'With two paragraphs.', 'Two', 'Second section.']);

    const json = JSON.parse(JSON.stringify(editor.getEditorState().toJSON()));
    expect(json.root.children[1].$).toEqual({ lhPassage: { passageId: 'p1', pointId: 'o1', candidate: 2, scores } });
    expect(json.root.children[0].$).toEqual({ lhSection: 'o1' });
    const reloaded = makeEditor();
    reloaded.setEditorState(reloaded.parseEditorState(json));
    const { marks, totalSize } = collectPassages(reloaded.getEditorState());
    expect(marks.map((m) => [m.passageId, m.prov.candidate, m.offset, m.size])).toEqual([['p1', 2, 3, 33], ['p2', 0, 39, 15]]);
    expect(totalSize).toBe(54);
    expect(countWords(reloaded.getEditorState().read(() => $getRoot().getTextContent()))).toBe(9);

    editor.dispatchCommand(UNDO_COMMAND, undefined);
    await tick();
    expect(order()).toEqual(['One', 'First draft.', 'Two', 'Second section.']);
  });

  it('reads malformed provenance as none', () => {
    expect(parseProvenance({ passageId: 3 })).toBeNull();
    expect(parseProvenance('x')).toBeNull();
    expect(parseProvenance({ passageId: 'a', pointId: 'b', candidate: 'z', scores: { relevance: 'x' }, edited: true })).toEqual({ passageId: 'a', pointId: 'b', candidate: 0, edited: true });
  });
});
