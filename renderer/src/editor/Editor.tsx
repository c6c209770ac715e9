import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { HistoryPlugin } from '@lexical/react/LexicalHistoryPlugin';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { ListItemNode, ListNode } from '@lexical/list';

const theme = {
  paragraph: 'lh-paragraph',
  heading: { h1: 'lh-h1', h2: 'lh-h2', h3: 'lh-h3' },
  quote: 'lh-quote',
  text: { bold: 'lh-bold', italic: 'lh-italic' },
};

export function Editor() {
  return (
    <LexicalComposer
      initialConfig={{
        namespace: 'longhand',
        theme,
        nodes: [HeadingNode, QuoteNode, ListNode, ListItemNode],
        onError: (e) => console.error(e),
      }}
    >
      <div className="editor-shell">
        <RichTextPlugin
          contentEditable={<ContentEditable className="editor" aria-label="Document" aria-placeholder="Start writing…" placeholder={<div className="editor-placeholder">Start writing, or give a premise and press Write.</div>} />}
          ErrorBoundary={LexicalErrorBoundary}
        />
        <HistoryPlugin />
      </div>
    </LexicalComposer>
  );
}
