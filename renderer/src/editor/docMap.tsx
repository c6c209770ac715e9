/** The document map: one mark per passage along a slim strip, coloured by relevance to its outline point
 * (red = drifting), outlined when a consistency flag is open; click jumps there. */
import { useEffect, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getNodeByKey, $isElementNode } from 'lexical';
import { useI18n } from '../i18n/i18n.ts';
import { useDesk } from '../state/store.ts';
import { collectPassages, type PassageMark } from './passageOps.ts';
import { scoreUnit } from './scoreScale.ts';

/** 0..1 → a hue from red (drifting) to green (on track). */
/** Red → green by P(relevant) (the engine sends log P; see scoreScale.ts). */
export function scoreColour(logProbability: number | undefined): string {
  const x = scoreUnit('relevance', logProbability);
  if (x === undefined) return 'var(--muted)';
  return `hsl(${Math.round(x * 120)} 55% 45%)`;
}

export function DocMap() {
  const [editor] = useLexicalComposerContext();
  const { t } = useI18n();
  const [data, setData] = useState<{ marks: PassageMark[]; totalSize: number }>({ marks: [], totalSize: 0 });
  const flags = useDesk((s) => s.flags);
  const passages = useDesk((s) => s.passages);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = () => {
      timer = null;
      setData(collectPassages(editor.getEditorState()));
    };
    run();
    return editor.registerUpdateListener(({ editorState, prevEditorState, dirtyElements, dirtyLeaves }) => {
      if (!dirtyElements.size && !dirtyLeaves.size && editorState._nodeMap === prevEditorState._nodeMap) return;
      if (!timer) timer = setTimeout(run, 1000);
    });
  }, [editor]);

  const jump = (m: PassageMark) => {
    editor.getElementByKey(m.key)?.scrollIntoView({ block: 'center' });
    editor.update(() => {
      const n = $getNodeByKey(m.key);
      if ($isElementNode(n)) n.selectStart();
    });
  };

  const flagged = new Set(flags.filter((f) => f.status === 'open').map((f) => f.passageId));
  const total = data.totalSize || 1;
  return (
    <nav className="docmap" aria-label={t('map.label')}>
      {data.marks.map((m, i) => {
        const top = (m.offset / total) * 100;
        const scores = m.prov.scores ?? passages[m.passageId]?.candidates[m.prov.candidate]?.scores;
        const score = scores?.combined;
        const isFlagged = flagged.has(m.passageId);
        const label = t('map.mark', { n: i + 1, score: score === undefined ? '–' : score.toFixed(2) }) + (isFlagged ? ` (${t('map.flagged')})` : '');
        return (
          <button
            key={m.passageId}
            type="button"
            className={`mark${isFlagged ? ' flagged' : ''}`}
            style={{ top: `${top}%`, height: `${Math.max(0.3, (m.size / total) * 100)}%`, background: scoreColour(scores?.relevance) }}
            aria-label={label}
            title={label}
            onClick={() => jump(m)}
          />
        );
      })}
    </nav>
  );
}
