import { useEffect, useState } from 'react';
import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { ListItemNode, ListNode } from '@lexical/list';
import { useI18n } from '../i18n/i18n.ts';
import { CappedHistoryPlugin } from './historyPlugin.tsx';
import { StreamingPlugin } from './streamingPlugin.tsx';
import { DocumentSync } from './documentSync.tsx';
import { Toolbar } from './toolbar.tsx';
import { FindReplace } from './findReplace.tsx';
import { WordCountBar } from './wordCountBar.tsx';
import { ProvenancePlugin } from './provenancePlugin.tsx';
import { DocMap } from './docMap.tsx';
import { SelectionActions } from './selectionActions.tsx';
import { setEditor } from './editorRef.ts';
import { isMod } from './shortcuts.ts';

export const editorNodes = [HeadingNode, QuoteNode, ListNode, ListItemNode];

const theme = {
  paragraph: 'lh-paragraph',
  heading: { h1: 'lh-h1', h2: 'lh-h2', h3: 'lh-h3', h4: 'lh-h4', h5: 'lh-h5', h6: 'lh-h6' },
  quote: 'lh-quote',
  list: { ul: 'lh-ul', ol: 'lh-ol', listitem: 'lh-li' },
  text: { bold: 'lh-bold', italic: 'lh-italic' },
};

function EditorRef() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    setEditor(editor);
    return () => setEditor(null);
  }, [editor]);
  return null;
}

export function Editor() {
  const { t } = useI18n();
  const [finding, setFinding] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isMod(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        setFinding(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <LexicalComposer initialConfig={{ namespace: 'longhand', theme, nodes: editorNodes, onError: (e) => console.error(e) }}>
      <div className="editor-column">
        <Toolbar onFind={() => setFinding(true)} />
        <SelectionActions />
        {finding && <FindReplace onClose={() => setFinding(false)} />}
        <div className="editor-scroll">
          <div className="editor-shell">
            <RichTextPlugin
              contentEditable={<ContentEditable className="editor" aria-label={t('editor.document')} aria-placeholder={t('editor.placeholder')} placeholder={<div className="editor-placeholder">{t('editor.placeholder')}</div>} />}
              ErrorBoundary={LexicalErrorBoundary}
            />
            <ProvenancePlugin />
          </div>
        </div>
        <WordCountBar />
      </div>
      <DocMap />
      <CappedHistoryPlugin />
      <ListPlugin />
      <StreamingPlugin />
      <DocumentSync />
      <EditorRef />
    </LexicalComposer>
  );
}
