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
import { $appendToPassage, $replacePassage } from './passageOps.ts';

export const STREAM_TAG = 'lh-stream';

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
          for (const c of chunks) $appendToPassage(c, sectionTitle(c.pointId));
        },
        // discrete: commit (reconcile the DOM) inside this animation frame, before it paints.
        { tag: [STREAM_TAG, fresh ? HISTORY_PUSH_TAG : HISTORY_MERGE_TAG], discrete: true },
      );
      if (window.__longhandReplay) performance.measure('lh-stream-flush', { start: t0 });
      for (const c of chunks) started.add(c.passageId);
    });
    const off = api.onEvent((ev) => {
      if (!('dir' in ev) || ev.dir !== getState().dir) return;
      if (ev.type === 'passage.tokens' && ev.candidate === 0) {
        batcher.push({ passageId: ev.passageId, pointId: ev.pointId, text: ev.text });
      } else if (ev.type === 'passage.accepted') {
        batcher.drain();
        const p = ev.passage;
        const scores = p.candidates[p.chosen]?.scores;
        const tag = started.has(p.id) ? HISTORY_MERGE_TAG : HISTORY_PUSH_TAG;
        started.delete(p.id);
        editor.update(() => $replacePassage({ passageId: p.id, pointId: p.pointId, candidate: p.chosen, ...(scores ? { scores } : {}) }, p.text, sectionTitle(p.pointId)), {
          tag: [STREAM_TAG, tag],
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
