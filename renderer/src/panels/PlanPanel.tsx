/** The left panel: premise/brief, title, setting/audience, characters or entities, outline, references. */
import { useI18n } from '../i18n/i18n.ts';
import { generatePlan, updatePlan } from '../state/actions.ts';
import { useDesk } from '../state/store.ts';
import { Characters } from './Characters.tsx';
import { OutlineTree } from './OutlineTree.tsx';
import { References } from './References.tsx';

export function PlanPanel() {
  const { t } = useI18n();
  const plan = useDesk((s) => s.plan);
  const story = plan.kind === 'story';
  const regen = (part: 'title' | 'setting' | 'purpose' | 'characters' | 'keyFacts' | 'outline', label: string) => (
    <button type="button" className="regen" aria-label={t('plan.regenerate', { part: label })} title={t('plan.regenerate', { part: label })} onClick={() => void generatePlan(part)}>
      ↻
    </button>
  );
  return (
    <aside className="panel panel-left" aria-label={t('plan.heading')}>
      <section>
        <label className="field">
          <span>{story ? t('plan.premise') : t('plan.brief')}</span>
          <textarea rows={4} value={plan.premise} onChange={(e) => updatePlan({ premise: e.target.value })} />
        </label>
        <button type="button" className="primary" onClick={() => void generatePlan('all')}>
          {t('plan.generate')}
        </button>
      </section>
      <section>
        <div className="field-row">
          <label className="field grow">
            <span>{t('plan.title')}</span>
            <input value={plan.title} onChange={(e) => updatePlan({ title: e.target.value })} />
          </label>
          {regen('title', t('plan.title'))}
        </div>
        <div className="field-row">
          <label className="field grow">
            <span>{story ? t('plan.setting') : t('plan.audience')}</span>
            <textarea rows={2} value={plan.setting} onChange={(e) => updatePlan({ setting: e.target.value })} />
          </label>
          {regen('setting', story ? t('plan.setting') : t('plan.audience'))}
        </div>
        {!story && (
          <div className="field-row">
            <label className="field grow">
              <span>{t('plan.purpose')}</span>
              <textarea rows={2} value={plan.purpose} onChange={(e) => updatePlan({ purpose: e.target.value })} />
            </label>
            {regen('purpose', t('plan.purpose'))}
          </div>
        )}
      </section>
      {!story && (
        <section>
          <h2>
            {t('plan.keyFacts')} {regen('keyFacts', t('plan.keyFacts'))}
          </h2>
          <ul className="facts" aria-label={t('plan.keyFacts')}>
            {plan.keyFacts.map((f, i) => (
              <li key={i}>
                <input aria-label={t('plan.keyFact', { n: i + 1 })} value={f} onChange={(e) => updatePlan({ keyFacts: plan.keyFacts.map((x, j) => (j === i ? e.target.value : x)) })} />
                <button type="button" aria-label={t('plan.removeKeyFact', { n: i + 1 })} onClick={() => updatePlan({ keyFacts: plan.keyFacts.filter((_, j) => j !== i) })}>×</button>
              </li>
            ))}
          </ul>
          <button type="button" className="add" onClick={() => updatePlan({ keyFacts: [...plan.keyFacts, ''] })}>
            {t('plan.addKeyFact')}
          </button>
        </section>
      )}
      <section>
        <h2>
          {story ? t('plan.characters') : t('plan.entities')} {regen('characters', story ? t('plan.characters') : t('plan.entities'))}
        </h2>
        <Characters />
      </section>
      <section>
        <h2>
          {t('plan.outline')} {regen('outline', t('plan.outline'))}
        </h2>
        <OutlineTree />
      </section>
      <section>
        <h2>{t('plan.references')}</h2>
        <References />
      </section>
    </aside>
  );
}
