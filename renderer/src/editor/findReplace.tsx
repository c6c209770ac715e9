/** Find and replace over the document's text nodes (a match spanning two differently formatted runs is not found). */
import { useEffect, useRef, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getRoot, $getSelection, $isRangeSelection, type TextNode } from 'lexical';
import { useI18n } from '../i18n/i18n.ts';
import { findAll, replaceAllIn } from './findText.ts';

export function FindReplace({ onClose }: { onClose: () => void }) {
  const [editor] = useLexicalComposerContext();
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [replacement, setReplacement] = useState('');
  const [status, setStatus] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    if (!query) return setStatus('');
    const count = editor.getEditorState().read(() => $getRoot().getAllTextNodes().reduce((n, node) => n + findAll(node.getTextContent(), query).length, 0));
    setStatus(t('find.matches', { count }));
  }, [query, editor, t]);

  const findNext = () => {
    if (!query) return;
    editor.update(() => {
      const nodes: TextNode[] = $getRoot().getAllTextNodes();
      const sel = $getSelection();
      let startNode = 0;
      let startOffset = 0;
      if ($isRangeSelection(sel)) {
        const focus = sel.isBackward() ? sel.anchor : sel.focus;
        const i = nodes.findIndex((n) => n.getKey() === focus.key);
        if (i >= 0) [startNode, startOffset] = [i, focus.offset];
      }
      for (let pass = 0; pass <= nodes.length; pass++) {
        const i = (startNode + pass) % nodes.length;
        const node = nodes[i]!;
        const hit = findAll(node.getTextContent(), query).find(([s]) => pass > 0 || s >= startOffset);
        if (hit) {
          node.select(hit[0], hit[1]);
          return;
        }
      }
    });
  };

  const replaceOne = () => {
    editor.update(() => {
      const sel = $getSelection();
      if ($isRangeSelection(sel) && sel.getTextContent().toLowerCase() === query.toLowerCase() && query) sel.insertText(replacement);
    });
    findNext();
  };

  const replaceAll = () => {
    let total = 0;
    editor.update(() => {
      for (const node of $getRoot().getAllTextNodes()) {
        const r = replaceAllIn(node.getTextContent(), query, replacement);
        if (r.count) {
          node.setTextContent(r.text);
          total += r.count;
        }
      }
    });
    setStatus(t('find.replaced', { count: total }));
  };

  return (
    <div className="find" role="search" aria-label={t('editor.find')} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <input ref={input} aria-label={t('find.find')} placeholder={t('find.find')} value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), findNext())} />
      <input aria-label={t('find.replace')} placeholder={t('find.replace')} value={replacement} onChange={(e) => setReplacement(e.target.value)} />
      <button type="button" onClick={findNext}>{t('find.next')}</button>
      <button type="button" onClick={replaceOne}>{t('find.replaceOne')}</button>
      <button type="button" onClick={replaceAll}>{t('find.replaceAll')}</button>
      <span role="status" className="muted">{status}</span>
      <button type="button" aria-label={t('find.close')} title={t('find.close')} onClick={onClose}>×</button>
    </div>
  );
}
