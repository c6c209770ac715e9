/** Characters (story) or key entities (report/article) as cards with their facts. */
import type { Entity } from '../../../electron/contract/contract.ts';
import { useI18n } from '../i18n/i18n.ts';
import { setPlan } from '../state/actions.ts';
import { newId } from '../state/outline.ts';
import { getState, useDesk } from '../state/store.ts';

function edit(id: string, f: (e: Entity) => Entity | null) {
  const plan = getState().plan;
  setPlan({ ...plan, characters: plan.characters.flatMap((c) => (c.id === id ? (f(c) ? [f(c)!] : []) : [c])) });
}

export function Characters() {
  const { t } = useI18n();
  const characters = useDesk((s) => s.plan.characters);
  const add = () => {
    const plan = getState().plan;
    const id = newId('c');
    setPlan({ ...plan, characters: [...plan.characters, { id, name: t('plan.unnamed'), description: '', facts: [] }] });
    requestAnimationFrame(() => document.querySelector<HTMLInputElement>(`[data-entity="${id}"]`)?.select());
  };
  return (
    <div className="cards">
      {characters.map((c) => (
        <article key={c.id} className="card" aria-label={c.name}>
          <div className="card-head">
            <input data-entity={c.id} className="card-name" aria-label={`${t('plan.characterName')}: ${c.name}`} value={c.name} onChange={(e) => edit(c.id, (x) => ({ ...x, name: e.target.value }))} />
            <button type="button" aria-label={t('plan.removeCharacter', { name: c.name })} title={t('plan.removeCharacter', { name: c.name })} onClick={() => edit(c.id, () => null)}>×</button>
          </div>
          <textarea rows={2} aria-label={`${t('plan.characterDescription')}: ${c.name}`} placeholder={t('plan.characterDescription')} value={c.description} onChange={(e) => edit(c.id, (x) => ({ ...x, description: e.target.value }))} />
          <ul className="facts" aria-label={`${t('plan.facts')}: ${c.name}`}>
            {c.facts.map((f, i) => (
              <li key={i}>
                <input aria-label={`${c.name}: ${t('plan.fact', { n: i + 1 })}`} value={f} onChange={(e) => edit(c.id, (x) => ({ ...x, facts: x.facts.map((y, j) => (j === i ? e.target.value : y)) }))} />
                <button type="button" aria-label={`${c.name}: ${t('plan.removeFact', { n: i + 1 })}`} onClick={() => edit(c.id, (x) => ({ ...x, facts: x.facts.filter((_, j) => j !== i) }))}>×</button>
              </li>
            ))}
          </ul>
          <button type="button" className="link" aria-label={`${c.name}: ${t('plan.addFact')}`} onClick={() => edit(c.id, (x) => ({ ...x, facts: [...x.facts, ''] }))}>
            + {t('plan.addFact')}
          </button>
        </article>
      ))}
      <button type="button" className="add" onClick={add}>
        {t('plan.addCharacter')}
      </button>
    </div>
  );
}
