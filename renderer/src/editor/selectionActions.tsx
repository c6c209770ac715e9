/** Rewrite / expand / shorten / continue the selection through the generator; suggestions appear in the side panel. */
import { useEffect, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getSelection, $isRangeSelection } from 'lexical';
import { useI18n } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/en.ts';
import { transformSelection, type TransformAction } from './docActions.ts';

const actions: Array<[TransformAction, MessageKey]> = [
  ['rewrite', 'sel.rewrite'],
  ['expand', 'sel.expand'],
  ['shorten', 'sel.shorten'],
  ['continue', 'sel.continue'],
];

export function SelectionActions() {
  const [editor] = useLexicalComposerContext();
  const { t } = useI18n();
  const [hasSelection, setHasSelection] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(
    () =>
      editor.registerUpdateListener(({ editorState }) =>
        setHasSelection(
          editorState.read(() => {
            const s = $getSelection();
            return $isRangeSelection(s) && !s.isCollapsed();
          }),
        ),
      ),
    [editor],
  );
  const run = async (a: TransformAction) => {
    setBusy(true);
    try {
      await transformSelection(a);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="selection-actions" role="toolbar" aria-label={t('sel.label')} aria-busy={busy}>
      {actions.map(([a, key]) => (
        <button key={a} type="button" onMouseDown={(e) => e.preventDefault()} disabled={busy || (a !== 'continue' && !hasSelection)} onClick={() => void run(a)}>
          {t(key)}
        </button>
      ))}
    </div>
  );
}
