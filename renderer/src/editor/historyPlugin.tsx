/** Undo/redo with a capped stack (each entry holds a full EditorState, so an uncapped stack grows without end). */
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { createEmptyHistoryState, registerHistory, type HistoryState } from '@lexical/history';
import { CAN_REDO_COMMAND, CAN_UNDO_COMMAND, type LexicalEditor } from 'lexical';

export const HISTORY_DEPTH = 200;

const states = new WeakMap<LexicalEditor, HistoryState>();

/**
 * Starts history afresh at the editor's current state (after a project loads). Unlike CLEAR_HISTORY_COMMAND this
 * keeps the loaded state as the current entry, so the first change after loading can be undone.
 */
export function resetHistory(editor: LexicalEditor): void {
  const h = states.get(editor);
  if (!h) return;
  h.undoStack = [];
  h.redoStack = [];
  h.current = { editor, editorState: editor.getEditorState() };
  editor.dispatchCommand(CAN_UNDO_COMMAND, false);
  editor.dispatchCommand(CAN_REDO_COMMAND, false);
}

export function CappedHistoryPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const state = createEmptyHistoryState();
    states.set(editor, state);
    const off = registerHistory(editor, state, 400, Date.now, undefined, HISTORY_DEPTH);
    return () => {
      off();
      states.delete(editor);
    };
  }, [editor]);
  return null;
}
