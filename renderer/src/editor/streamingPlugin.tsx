/**
 * Streams generated passages into the document: `passage.tokens` fragments (candidate 0, the one shown while
 * writing) are batched per animation frame into one update; the first update of a passage opens a history entry
 * and the rest, including the accepted final text, merge into it, so a passage is one undo step.
 */
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { HISTORY_MERGE_TAG, HISTORY_PUSH_TAG } from 'lexical';
import { api } from '../api/client.ts';
import { getState } from '../state/store.ts';
import { findPoint } from '../state/outline.ts';
import { TokenBatcher } from './streamBatcher.ts';
import { $appendToPassage, $passageParagraphs, $passageShows, $replacePassage, $setPassageProvenance } from './passageOps.ts';

export const STREAM_TAG = 'lh-stream';

/** Passages the author changed whose `passage.edit` has not yet been answered (kept up to date by DocumentSync). */
export const pendingEdits = new Set<string>();

export function sectionTitle(pointId: string): string {
  return findPoint(getState().plan.outline, pointId)?.point.text.split('\n')[0]?.slice(0, 200) ?? '';
}

export function StreamingPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const started = new Set<string>();
    const batcher = new TokenBatcher((chunks) => {
      const fresh = chunks.some((c) => !started.has(c.passageId));
      const t0 = performance.now();
      editor.update(
        () => {
          for (const c of chunks) {
            // A passage drafted again (regenerate, or resumed after a pause) starts from empty, in place.
            if (!started.has(c.passageId) && $passageParagraphs(c.passageId).length > 0) {
              $replacePassage({ passageId: c.passageId, pointId: c.pointId, candidate: 0 }, '', sectionTitle(c.pointId), { keepCursor: true });
            }
            $appendToPassage(c, sectionTitle(c.pointId));
            started.add(c.passageId);
          }
        },
        // discrete: commit (reconcile the DOM) inside this animation frame, before it paints.
        { tag: [STREAM_TAG, fresh ? HISTORY_PUSH_TAG : HISTORY_MERGE_TAG], discrete: true },
      );
      if (window.__longhandReplay) performance.measure('lh-stream-flush', { start: t0 });
      for (const c of chunks) started.add(c.passageId);
    });
    const off = api.onEvent((ev) => {
      if (!('dir' in ev) || ev.dir !== getState().dir) return;
      if (ev.type === 'pipeline.state' && ['paused', 'stopped', 'error', 'done', 'idle'].includes(ev.state.step) && started.size > 0) {
        // A pause or stop aborts the passage being drafted; a resumed run drafts it again from the start. So the
        // unfinished text goes (in the same undo step that brought it), and the next fragment restarts it.
        batcher.drain();
        const unfinished = [...started];
        started.clear();
        editor.update(() => unfinished.forEach((id) => $passageParagraphs(id).forEach((p) => p.remove())), { tag: [STREAM_TAG, HISTORY_MERGE_TAG] });
      } else if (ev.type === 'passage.tokens' && ev.candidate === 0) {
        batcher.push({ passageId: ev.passageId, pointId: ev.pointId, text: ev.text });
      } else if (ev.type === 'passage.accepted') {
        batcher.drain();
        const p = ev.passage;
        const scores = p.candidates[p.chosen]?.scores;
        const streamed = started.delete(p.id);
        // An answer to an older request (e.g. the choose after an undo) must not overwrite what the author has typed
        // since; their pending passage.edit brings the engine in line and its answer updates the provenance.
        if (!streamed && !p.editedByUser && pendingEdits.has(p.id)) return;
        const prov = { passageId: p.id, pointId: p.pointId, candidate: p.chosen, ...(scores ? { scores } : {}), ...(p.editedByUser ? { edited: true } : {}) };
        // The author's own text (passage.edit) and a choice the desk already made (passage.choose) are shown
        // already: only the provenance is brought up to date, in the same undo step as the change itself.
        const shown = !streamed && editor.getEditorState().read(() => $passageParagraphs(p.id).length > 0 && (p.editedByUser || $passageShows(p.id, p.text)));
        editor.update(() => (shown ? $setPassageProvenance(prov) : $replacePassage(prov, p.text, sectionTitle(p.pointId), { keepCursor: true })), {
          tag: [STREAM_TAG, streamed || shown ? HISTORY_MERGE_TAG : HISTORY_PUSH_TAG],
        });
      }
    });
    return () => {
      off();
      batcher.dispose();
    };
  }, [editor]);
  return null;
}
