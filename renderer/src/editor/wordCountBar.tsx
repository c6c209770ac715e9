/** Document and selection word counts, recomputed when the editor idles (cheap even at 100 000 words). */
import { useEffect, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getRoot, $getSelection, $isRangeSelection } from 'lexical';
import { useI18n } from '../i18n/i18n.ts';
import { useDesk } from '../state/store.ts';
import { countWords, formatCount } from './wordCount.ts';

const SAVE_KEYS = { idle: 'save.saving', saving: 'save.saving', saved: 'save.saved', error: 'save.error', local: 'save.local' } as const;

export function WordCountBar() {
  const [editor] = useLexicalComposerContext();
  const { t, locale } = useI18n();
  const [words, setWords] = useState(0);
  const [selected, setSelected] = useState(0);
  const save = useDesk((s) => s.save);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const total = () => {
      timer = null;
      setWords(editor.getEditorState().read(() => countWords($getRoot().getTextContent())));
    };
    total();
    return editor.registerUpdateListener(({ editorState, dirtyLeaves, dirtyElements }) => {
      setSelected(
        editorState.read(() => {
          const sel = $getSelection();
          return $isRangeSelection(sel) && !sel.isCollapsed() ? countWords(sel.getTextContent()) : 0;
        }),
      );
      if (dirtyLeaves.size || dirtyElements.size) {
        if (timer) clearTimeout(timer);
        timer = setTimeout(total, 250);
      }
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
