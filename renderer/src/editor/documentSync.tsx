/**
 * Loads the project's document into the editor when a project opens, autosaves it (debounced), tracks the
 * passage under the cursor, and marks generated passages edited when the author changes them.
 */
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getNodeByKey, $getRoot, $getState, HISTORY_MERGE_TAG, type EditorState, type SerializedEditorState } from 'lexical';
import { attempt } from '../api/call.ts';
import { saveDocument } from '../state/actions.ts';
import { getState, notify, setState, subscribe } from '../state/store.ts';
import { passageState } from './docState.ts';
import { $markEdited, $passageParagraphs, $provenanceAtSelection, passageTexts, sameText } from './passageOps.ts';
import { pendingEdits, STREAM_TAG } from './streamingPlugin.tsx';
import { resetHistory } from './historyPlugin.tsx';
import { tr } from '../i18n/i18n.ts';

export const AUTOSAVE_MS = 1500;
const LOAD_TAG = 'lh-load';

/** Runs `f` in an idle moment (so serializing a long document does not delay a keystroke), at most 500 ms later. */
function whenIdle(f: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(f, { timeout: 500 });
  else f();
}

export function DocumentSync() {
  const [editor] = useLexicalComposerContext();

  useEffect(() => {
    let nonce = -1;
    const load = () => {
      const s = getState();
      if (s.docNonce === nonce) return;
      nonce = s.docNonce;
      if (!s.document || !('root' in s.document)) {
        editor.update(() => $getRoot().clear(), { tag: LOAD_TAG, onUpdate: () => resetHistory(editor) });
        return;
      }
      try {
        const parsed = editor.parseEditorState(s.document as unknown as SerializedEditorState);
        editor.setEditorState(parsed, { tag: LOAD_TAG });
        resetHistory(editor);
      } catch (e) {
        notify('error', tr('notice.docUnreadable', { reason: (e as Error).message }), tr('notice.docUnreadableHint'));
      }
    };
    load();
    return subscribe(load);
  }, [editor]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const editTimers = new Map<string, ReturnType<typeof setTimeout>>();
    const save = () => {
      timer = null;
      void saveDocument(editor.getEditorState().toJSON() as unknown as Record<string, unknown> & { root: Record<string, unknown> });
    };
    const sendEdit = (passageId: string) => {
      editTimers.delete(passageId);
      const dir = getState().dir;
      if (!dir || !getState().passages[passageId]) return void pendingEdits.delete(passageId);
      const text = editor.getEditorState().read(() => $passageParagraphs(passageId).map((p) => p.getTextContent()).join('\n\n'));
      void attempt('passage.edit', { dir, passageId, text }, { quiet: true }).finally(() => {
        if (!editTimers.has(passageId)) pendingEdits.delete(passageId);
      });
    };
    const scheduleEdit = (passageId: string, ms: number) => {
      clearTimeout(editTimers.get(passageId));
      pendingEdits.add(passageId);
      editTimers.set(passageId, setTimeout(() => sendEdit(passageId), ms));
    };
    /** Undo/redo changed passages' text: tell the engine (a candidate restored is a choice, anything else an edit). */
    const syncUndo = (before: EditorState, after: EditorState) => {
      const dir = getState().dir;
      if (!dir) return;
      const prev = passageTexts(before);
      for (const [id, now] of passageTexts(after)) {
        const was = prev.get(id);
        const passage = getState().passages[id];
        if (!passage || (was && was.text === now.text && was.prov.candidate === now.prov.candidate)) continue;
        const cand = passage.candidates[now.prov.candidate];
        if (!now.prov.edited && cand && sameText(cand.text, now.text)) {
          // The candidate restored supersedes an edit not yet sent.
          clearTimeout(editTimers.get(id));
          editTimers.delete(id);
          pendingEdits.delete(id);
          void attempt('passage.choose', { dir, passageId: id, candidate: now.prov.candidate }, { quiet: true });
        } else scheduleEdit(id, 300);
      }
    };
    const offUpdate = editor.registerUpdateListener(({ editorState, prevEditorState, dirtyLeaves, dirtyElements, tags }) => {
      const cursor = editorState.read($provenanceAtSelection);
      if ((cursor?.passageId ?? null) !== getState().cursorPassageId) setState({ cursorPassageId: cursor?.passageId ?? null });
      if (tags.has(LOAD_TAG) || (dirtyLeaves.size === 0 && dirtyElements.size === 0)) return;
      if (getState().dir) setState({ save: 'idle' });
      // Throttled rather than debounced: a save lands at most AUTOSAVE_MS after the first unsaved change, even
      // while a passage streams in.
      if (!timer) timer = setTimeout(() => whenIdle(save), AUTOSAVE_MS);
      if (tags.has(STREAM_TAG)) return;
      if (tags.has('historic')) return syncUndo(prevEditorState, editorState);
      const edited = new Set<string>();
      editorState.read(() => {
        for (const key of dirtyLeaves) {
          let node = $getNodeByKey(key);
          while (node && node.getParent() && node.getParent() !== $getRoot()) node = node.getParent();
          const prov = node ? $getState(node, passageState) : null;
          if (prov) edited.add(prov.passageId);
        }
      });
      if (edited.size === 0) return;
      editor.update(() => edited.forEach($markEdited), { tag: HISTORY_MERGE_TAG });
      for (const id of edited) scheduleEdit(id, 1500);
    });
    const flush = () => {
      if (timer) {
        clearTimeout(timer);
        save();
      }
    };
    window.addEventListener('beforeunload', flush);
    return () => {
      offUpdate();
      window.removeEventListener('beforeunload', flush);
      flush();
    };
  }, [editor]);
  return null;
}
