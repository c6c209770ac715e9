/** Document actions the side panels trigger: swap a passage's candidate, selection transforms and their results. */
import { $getRoot, $getSelection, $isRangeSelection, $setSelection, HISTORY_PUSH_TAG, type RangeSelection } from 'lexical';
import type { Passage } from '../../../electron/contract/contract.ts';
import { attempt } from '../api/call.ts';
import { getState, notify, setState } from '../state/store.ts';
import { getEditor } from './editorRef.ts';
import { tr } from '../i18n/i18n.ts';
import { $replacePassage } from './passageOps.ts';
import { sectionTitle, STREAM_TAG } from './streamingPlugin.tsx';

/** Puts candidate `index` of a passage into the document (one undo step) and tells the engine. */
export async function swapCandidate(passage: Passage, index: number): Promise<void> {
  const editor = getEditor();
  const cand = passage.candidates[index];
  if (!editor || !cand) return;
  editor.update(() => $replacePassage({ passageId: passage.id, pointId: passage.pointId, candidate: index, scores: cand.scores }, cand.text, sectionTitle(passage.pointId), { keepCursor: true }), {
    tag: [STREAM_TAG, HISTORY_PUSH_TAG],
  });
  setState((s) => ({ passages: { ...s.passages, [passage.id]: { ...passage, chosen: index, text: cand.text } } }));
  const dir = getState().dir;
  if (dir) {
    const updated = await attempt('passage.choose', { dir, passageId: passage.id, candidate: index });
    if (updated) setState((s) => ({ passages: { ...s.passages, [updated.id]: updated } }));
  }
}

export async function regeneratePassage(passageId: string): Promise<void> {
  const dir = getState().dir;
  if (!dir) return notify('error', tr('notice.needProject'), tr('notice.needProjectHint'));
  const p = await attempt('passage.regenerate', { dir, passageId });
  if (!p) return;
  // The engine's passage.accepted event puts the new text into the document (see streamingPlugin).
  setState((s) => ({ passages: { ...s.passages, [p.id]: p } }));
}

export type TransformAction = 'rewrite' | 'expand' | 'shorten' | 'continue';
let saved: RangeSelection | null = null;
let savedAction: TransformAction = 'rewrite';

export async function transformSelection(action: TransformAction): Promise<void> {
  const editor = getEditor();
  const dir = getState().dir;
  if (!editor) return;
  if (!dir) return notify('error', tr('notice.needProject'), tr('notice.needProjectHint'));
  const got = editor.getEditorState().read(() => {
    const sel = $getSelection();
    if (!$isRangeSelection(sel)) return null;
    const all = $getRoot().getTextContent();
    const text = sel.getTextContent();
    const anchorText = sel.anchor.getNode().getTextContent();
    const at = all.indexOf(anchorText);
    return { sel: sel.clone(), text, before: all.slice(Math.max(0, (at < 0 ? all.length : at) - 4000), at < 0 ? all.length : at) };
  });
  if (!got) return;
  const text = action === 'continue' && !got.text ? got.before.slice(-2000) || ' ' : got.text;
  if (!text.trim()) return notify('info', tr('notice.selectText'));
  saved = got.sel;
  savedAction = action;
  const candidates = await attempt('selection.transform', { dir, action, text, before: got.before, candidates: 3 });
  if (candidates) setState({ selectionCandidates: { action, candidates } });
}

export function applySuggestion(text: string): void {
  const editor = getEditor();
  if (!editor || !saved) return;
  const sel = saved;
  editor.update(
    () => {
      const s = sel.clone();
      if (savedAction === 'continue') {
        const end = s.isBackward() ? s.anchor : s.focus;
        s.anchor.set(end.key, end.offset, end.type);
        s.focus.set(end.key, end.offset, end.type);
        $setSelection(s);
        s.insertText(' ' + text.trim());
      } else {
        $setSelection(s);
        s.insertText(text.trim());
      }
    },
    { tag: HISTORY_PUSH_TAG },
  );
  setState({ selectionCandidates: null });
  saved = null;
}
