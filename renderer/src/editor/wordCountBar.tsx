/** Document and selection word counts, recomputed when the editor idles (cheap even at 100 000 words). */
import { useEffect, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getRoot, $getSelection, $isRangeSelection, type NodeKey } from 'lexical';
import { useI18n } from '../i18n/i18n.ts';
import { useDesk } from '../state/store.ts';
import { countWords, formatCount } from './wordCount.ts';

/**
 * Counts the document block by block, reusing the counts of blocks no update has touched since (`stale` collects
 * the keys of elements each update marked dirty, which include every block whose text changed).
 */
function $countDocument(cache: Map<NodeKey, number>, stale: Set<NodeKey>): number {
  let total = 0;
  const seen = new Map<NodeKey, number>();
  for (const block of $getRoot().getChildren()) {
    const key = block.getKey();
    let n = stale.has(key) ? undefined : cache.get(key);
    if (n === undefined) n = countWords(block.getTextContent());
    seen.set(key, n);
    total += n;
  }
  stale.clear();
  cache.clear();
  for (const [k, v] of seen) cache.set(k, v);
  return total;
}

const SAVE_KEYS = { idle: 'save.saving', saving: 'save.saving', saved: 'save.saved', error: 'save.error', local: 'save.local' } as const;

export function WordCountBar() {
  const [editor] = useLexicalComposerContext();
  const { t, locale } = useI18n();
  const [words, setWords] = useState(0);
  const [selected, setSelected] = useState(0);
  const save = useDesk((s) => s.save);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let costMs = 0;
    const cache = new Map<NodeKey, number>();
    const stale = new Set<NodeKey>();
    const total = () => {
      timer = null;
      const t0 = performance.now();
      setWords(editor.getEditorState().read(() => $countDocument(cache, stale)));
      costMs = performance.now() - t0;
    };
    total();
    return editor.registerUpdateListener(({ editorState, prevEditorState, dirtyLeaves, dirtyElements, tags }) => {
      setSelected(
        editorState.read(() => {
          const sel = $getSelection();
          return $isRangeSelection(sel) && !sel.isCollapsed() ? countWords(sel.getTextContent()) : 0;
        }),
      );
      // Throttled, and spaced by what a count costs, so a long document being streamed into stays smooth.
      for (const key of dirtyElements.keys()) stale.add(key);
      const replaced = tags.has('historic') || (dirtyLeaves.size === 0 && dirtyElements.size === 0 && editorState._nodeMap !== prevEditorState._nodeMap);
      if (replaced) cache.clear(); // a loaded document, or undo/redo: count everything afresh
      const changed = dirtyLeaves.size > 0 || dirtyElements.size > 0 || replaced;
      if (changed && !timer) timer = setTimeout(total, Math.max(250, costMs * 20));
    });
  }, [editor]);

  return (
    <div className="statusline" role="group" aria-label={t('editor.wordCount')}>
      <span data-testid="word-count">{t('editor.words', { count: formatCount(words, locale) })}</span>
      {selected > 0 && <span data-testid="selection-count">{t('editor.selectionWords', { count: formatCount(selected, locale) })}</span>}
      <span className="spacer" />
      <span className={`save save-${save}`}>{t(SAVE_KEYS[save])}</span>
    </div>
  );
}
