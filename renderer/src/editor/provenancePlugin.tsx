/**
 * Shows provenance subtly: generated paragraphs get a faint margin mark (a class set by a mutation listener), and
 * hovering one shows a small card with its outline point, candidate and scores.
 */
import { useEffect, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getNearestNodeFromDOMNode, $getNodeByKey, $getState, ParagraphNode } from 'lexical';
import type { PassageProvenance } from '../../../electron/contract/contract.ts';
import { useI18n } from '../i18n/i18n.ts';
import { passageState } from './docState.ts';
import { sectionTitle } from './streamingPlugin.tsx';

interface Card {
  prov: PassageProvenance;
  top: number;
  left: number;
}

/** The card's width in px (as in styles.css .prov-card). */
const CARD_WIDTH = 230;

export function ProvenancePlugin() {
  const [editor] = useLexicalComposerContext();
  const { t } = useI18n();
  const [card, setCard] = useState<Card | null>(null);

  useEffect(
    () =>
      editor.registerMutationListener(
        ParagraphNode,
        (mutations) => {
          editor.getEditorState().read(() => {
            for (const [key, type] of mutations) {
              if (type === 'destroyed') continue;
              const dom = editor.getElementByKey(key);
              const node = $getNodeByKey(key);
              if (!dom || !node) continue;
              const prov = $getState(node, passageState);
              dom.classList.toggle('lh-generated', !!prov);
              dom.classList.toggle('lh-edited', !!prov?.edited);
              if (prov) dom.dataset.passage = prov.passageId;
              else delete dom.dataset.passage;
            }
          });
        },
        { skipInitialization: false },
      ),
    [editor],
  );

  useEffect(() => {
    let last: Element | null = null;
    const onMove = (e: MouseEvent) => {
      const root = editor.getRootElement();
      const el = (e.target as Element).closest?.('.lh-generated') ?? null;
      if (el === last || !root) return;
      last = el;
      if (!el) return setCard(null);
      const prov = editor.read(() => {
        const node = $getNearestNodeFromDOMNode(el);
        return node ? $getState(node, passageState) : null;
      });
      const shell = root.parentElement!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      // In the right margin when it fits in the visible column; otherwise right-aligned just below the paragraph, so
      // the scroll area never clips it.
      const scroller = root.closest('.editor-scroll') ?? root.parentElement!;
      const visibleRight = scroller.getBoundingClientRect().left + scroller.clientWidth - shell.left;
      const inMargin = shell.width - 30 + CARD_WIDTH <= visibleRight - 8;
      const pos = inMargin ? { top: box.top - shell.top, left: shell.width - 30 } : { top: box.bottom - shell.top + 6, left: visibleRight - CARD_WIDTH - 8 };
      setCard(prov ? { prov, ...pos } : null);
    };
    const onLeave = () => {
      last = null;
      setCard(null);
    };
    return editor.registerRootListener((root, prev) => {
      prev?.removeEventListener('mousemove', onMove);
      prev?.removeEventListener('mouseleave', onLeave);
      root?.addEventListener('mousemove', onMove);
      root?.addEventListener('mouseleave', onLeave);
    });
  }, [editor]);

  if (!card) return null;
  const s = card.prov.scores;
  return (
    <div className="prov-card" role="tooltip" style={{ top: card.top, left: card.left, width: CARD_WIDTH }}>
      <strong>{t('prov.card')}</strong>
      <div>{t('prov.point', { point: sectionTitle(card.prov.pointId) || card.prov.pointId })}</div>
      <div>{t('prov.candidate', { n: card.prov.candidate + 1 })}</div>
      {s && (
        <div className="muted">
          {t('side.relevance')} {s.relevance.toFixed(2)} · {t('side.coherence')} {s.coherence.toFixed(2)} · {t('side.repetition')} {s.repetition.toFixed(2)}
        </div>
      )}
      {card.prov.edited && <div className="muted">{t('prov.edited')}</div>}
    </div>
  );
}
