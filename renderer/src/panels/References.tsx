/** Reference documents the loop retrieves from: add text files, remove them. */
import { useI18n } from '../i18n/i18n.ts';
import { addReference, removeReference } from '../state/actions.ts';
import { useDesk } from '../state/store.ts';

export function References() {
  const { t } = useI18n();
  const refs = useDesk((s) => s.references);
  const onFiles = async (files: FileList | null) => {
    for (const f of Array.from(files ?? [])) await addReference(f.name, await f.text());
  };
  return (
    <div className="refs">
      {refs.length === 0 ? (
        <p className="muted">{t('plan.noReferences')}</p>
      ) : (
        <ul aria-label={t('plan.references')}>
          {refs.map((r) => (
            <li key={r.name}>
              <span>{r.name}</span> <span className="muted">{t('plan.referenceChunks', { chunks: r.chunks })}</span>
              <button type="button" aria-label={t('plan.removeReference', { name: r.name })} onClick={() => void removeReference(r.name)}>×</button>
            </li>
          ))}
        </ul>
      )}
      <label className="add file">
        {t('plan.addReference')}
        <input type="file" accept=".txt,.md,.markdown,.html,.htm,text/*" multiple aria-label={t('plan.addReference')} onChange={(e) => void onFiles(e.target.files).then(() => (e.target.value = ''))} />
      </label>
    </div>
  );
}
