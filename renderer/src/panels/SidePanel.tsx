/** The right panel: candidates of the passage under the cursor (scores as bars; click to swap), selection
 * suggestions, and consistency flags with evidence. */
import type { Flag, Passage, PassageCandidate, Scores } from '../../../electron/contract/contract.ts';
import { useI18n } from '../i18n/i18n.ts';
import { resolveFlag } from '../state/actions.ts';
import { setState, useDesk } from '../state/store.ts';
import { scoreUnit } from '../editor/scoreScale.ts';
import { applySuggestion, regeneratePassage, swapCandidate } from '../editor/docActions.ts';

function ScoreBars({ scores }: { scores: Scores }) {
  const { t } = useI18n();
  const rows: Array<[keyof Scores, string]> = [
    ['relevance', t('side.relevance')],
    ['coherence', t('side.coherence')],
    ['repetition', t('side.repetition')],
  ];
  return (
    <div className="bars">
      {rows.map(([k, label]) => (
        <div key={k} className="bar-row" title={`${label}: ${scores[k].toFixed(3)}`}>
          <span>{label}</span>
          <meter aria-label={label} min={0} max={1} value={scoreUnit(k, scores[k]) ?? 0} className={`bar bar-${k}`} />
        </div>
      ))}
      <div className="combined">{t('side.combined', { score: scores.combined.toFixed(2) })}</div>
    </div>
  );
}

function CandidateCard({ c, i, chosen, onUse, label }: { c: PassageCandidate; i: number; chosen: boolean; onUse: () => void; label?: string }) {
  const { t } = useI18n();
  return (
    <li className={`cand${chosen ? ' chosen' : ''}`}>
      <button type="button" className="cand-text" aria-label={label ?? t('side.use', { n: i + 1 })} aria-pressed={chosen} onClick={onUse} disabled={chosen}>
        <span className="cand-title">
          {t('side.candidate', { n: i + 1 })} {chosen && <em>· {t('side.chosen')}</em>}
        </span>
        <span className="cand-body">{c.text}</span>
      </button>
      <ScoreBars scores={c.scores} />
    </li>
  );
}

function Candidates() {
  const { t } = useI18n();
  const id = useDesk((s) => s.cursorPassageId);
  const passage: Passage | undefined = useDesk((s) => (id ? s.passages[id] : undefined));
  const live = useDesk((s) => (id ? s.live[id] : undefined));
  if (!id) return <p className="muted">{t('side.none')}</p>;
  return (
    <>
      {live && (
        <ul className="cands" aria-label={t('side.streaming')}>
          {live.map((text, i) => (
            <li key={i} className="cand live">
              <span className="cand-title">{t('side.candidate', { n: i + 1 })} · {t('side.streaming')}</span>
              <span className="cand-body">{text}</span>
            </li>
          ))}
        </ul>
      )}
      {passage && (
        <ul className="cands" aria-label={t('side.heading')}>
          {passage.candidates.map((c, i) => (
            <CandidateCard key={i} c={c} i={i} chosen={i === passage.chosen} onUse={() => void swapCandidate(passage, i)} />
          ))}
        </ul>
      )}
      <button type="button" onClick={() => void regeneratePassage(id)}>
        {t('side.regenerate')}
      </button>
    </>
  );
}

function Suggestions() {
  const { t } = useI18n();
  const sc = useDesk((s) => s.selectionCandidates);
  if (!sc) return null;
  const actionKey = ({ rewrite: 'sel.rewrite', expand: 'sel.expand', shorten: 'sel.shorten', continue: 'sel.continue' } as const)[sc.action as 'rewrite'] ?? 'sel.rewrite';
  return (
    <section aria-label={t('sel.candidates', { action: t(actionKey) })}>
      <h2>
        {t('sel.candidates', { action: t(actionKey) })}
        <button type="button" className="regen" aria-label={t('sel.close')} onClick={() => setState({ selectionCandidates: null })}>×</button>
      </h2>
      <ul className="cands">
        {sc.candidates.map((c, i) => (
          <CandidateCard key={i} c={c} i={i} chosen={false} label={t('sel.apply', { n: i + 1 })} onUse={() => applySuggestion(c.text)} />
        ))}
      </ul>
    </section>
  );
}

function FlagItem({ f }: { f: Flag }) {
  const { t } = useI18n();
  return (
    <li className="flag">
      <div className="flag-title">{t('flags.flag', { entity: f.entity, fact: f.fact })}</div>
      <blockquote aria-label={t('flags.evidence')}>{f.evidence}</blockquote>
      <div className="flag-actions">
        <button type="button" onClick={() => void resolveFlag(f.id, 'fix')}>{t('flags.fix')}</button>
        <button type="button" onClick={() => void resolveFlag(f.id, 'keep')}>{t('flags.keep')}</button>
        <button type="button" onClick={() => void resolveFlag(f.id, 'dismiss')}>{t('flags.dismiss')}</button>
      </div>
    </li>
  );
}

export function SidePanel() {
  const { t } = useI18n();
  const flags = useDesk((s) => s.flags);
  const open = flags.filter((f) => f.status === 'open');
  return (
    <aside className="panel panel-right" aria-label={t('side.heading')}>
      <Suggestions />
      <section>
        <h2>{t('side.heading')}</h2>
        <Candidates />
      </section>
      <section aria-label={t('flags.heading')}>
        <h2>{t('flags.heading')}</h2>
        {open.length === 0 ? <p className="muted">{t('flags.none')}</p> : <ul className="flags">{open.map((f) => <FlagItem key={f.id} f={f} />)}</ul>}
      </section>
    </aside>
  );
}
