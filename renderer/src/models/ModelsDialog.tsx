/**
 * The Models dialog: what this machine has, which model serves each role, installed models, the catalog with
 * downloads in progress, a pull from any hub repo, and the import of a local folder. Talks only through the contract.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CatalogEntry, Dtype, InstalledModel, ModelRole } from '../../../electron/contract/contract.ts';
import { useI18n } from '../i18n/i18n.ts';
import { formatBytes, formatEta, percent } from './format.ts';
import { modelsStrings, type ModelsStringKey } from './strings.ts';
import { useModels, type Progress } from './useModels.ts';
import './models.css';

const roles: ModelRole[] = ['generator', 'relevance', 'nli'];
const dtypes: Dtype[] = ['q4', 'q8', 'q4f16', 'fp16', 'fp32'];

/** Which installed models can be offered for a role (by what their graph is). */
function fitsRole(m: InstalledModel, role: ModelRole): boolean {
  if (m.kind === undefined) return m.role === role;
  if (role === 'generator') return m.kind === 'decoder';
  if (role === 'relevance') return m.kind !== 'decoder';
  return m.kind === 'classifier' && m.role === 'nli';
}

function ProgressBar({ p, t }: { p: Progress; t: ReturnType<typeof modelsStrings> }) {
  const pct = percent(p.bytes, p.total);
  return (
    <div className="models-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)}>
      <div className="models-progress-bar"><span style={{ width: `${pct}%` }} /></div>
      <span className="muted">
        {Math.round(pct)}% · {formatBytes(p.bytes)} / {formatBytes(p.total)}
        {p.bytesPerSecond > 0 ? ` · ${formatBytes(p.bytesPerSecond)}/s` : ''}
        {p.etaSeconds !== undefined ? ` · ${formatEta(p.etaSeconds)}` : ''}
        {p.state === 'cancelled' ? ` · ${t('cancel')}` : ''}
      </span>
    </div>
  );
}

export function ModelsDialog({ onClose }: { onClose: () => void }) {
  const { locale } = useI18n();
  const t = modelsStrings(locale);
  const { state, pull, cancel, remove, use, importFolder, dismissError } = useModels();
  const [repo, setRepo] = useState('');
  const [dtype, setDtype] = useState<Dtype | ''>('');
  const [repoRole, setRepoRole] = useState<ModelRole>('generator');
  const [folder, setFolder] = useState('');
  const [folderRole, setFolderRole] = useState<ModelRole>('generator');
  const [copy, setCopy] = useState(false);
  // A role change may reload the generator (models.use waits for it): say so while it runs.
  const [switching, setSwitching] = useState<ModelRole | null>(null);
  const choose = async (r: ModelRole, id: string) => {
    setSwitching(r);
    await use(r, id);
    setSwitching(null);
  };
  const alertRef = useRef<HTMLDivElement>(null);
  // The error shows at the top of the dialog; bring it into view wherever the person was when it happened.
  useEffect(() => {
    if (state.error) alertRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [state.error]);
  const roleLabel = (r: ModelRole) => t(`role_${r}` as ModelsStringKey);
  const installedIds = new Set(state.installed.map((m) => m.id));
  const recommended = new Set(state.hardware?.recommended ?? []);

  const submitRepo = (e: FormEvent) => {
    e.preventDefault();
    if (repo.trim()) void pull({ idOrRepo: repo.trim(), role: repoRole, ...(dtype ? { dtype } : {}) });
  };
  const submitFolder = (e: FormEvent) => {
    e.preventDefault();
    if (folder.trim()) void importFolder(folder.trim(), folderRole, copy);
  };

  const catalogRow = (c: CatalogEntry) => {
    const p = state.downloads[c.id];
    return (
      <li key={c.id} className="models-row" data-model={c.id}>
        <div className="models-main">
          <strong>{c.name}</strong>
          <span className="muted">
            {roleLabel(c.role)} · {formatBytes(c.sizeBytes)} · RAM ≥ {c.minRamGb} GB{c.minVramGb ? ` · VRAM ≥ ${c.minVramGb} GB` : ''} · {t('license')} {c.license}
          </span>
          {c.notes && <span className="models-notes" title={c.notes}>{c.notes}</span>}
          {p && <ProgressBar p={p} t={t} />}
        </div>
        <div className="models-side">
          {state.hardware && <span className={recommended.has(c.id) ? 'models-badge ok' : 'models-badge warn'}>{recommended.has(c.id) ? t('fits') : t('tooBig')}</span>}
          {installedIds.has(c.id) ? (
            <span className="models-badge">{t('installedBadge')}</span>
          ) : p ? (
            <button type="button" onClick={() => void cancel(c.id)}>{t('cancel')}</button>
          ) : (
            <button type="button" onClick={() => void pull({ idOrRepo: c.id })}>{t('pull')}</button>
          )}
        </div>
      </li>
    );
  };

  const customDownloads = Object.values(state.downloads).filter((p) => !state.catalog.some((c) => c.id === p.idOrRepo));

  return (
    <div className="dialog-backdrop" onClick={onClose} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="dialog models-dialog" role="dialog" aria-modal="true" aria-label={t('title')} onClick={(e) => e.stopPropagation()}>
        <div className="models-head">
          <h2>{t('title')}</h2>
          <button type="button" onClick={onClose}>{t('close')}</button>
        </div>

        {state.error && (
          <div className="models-error" role="alert" ref={alertRef}>
            <div>
              <strong>{state.error.message}</strong>
              {state.error.hint && <div>{state.error.hint}</div>}
            </div>
            <button type="button" aria-label={t('close')} onClick={dismissError}>×</button>
          </div>
        )}

        {state.hardware && (
          <section aria-label={t('hardware')}>
            <h3>{t('hardware')}</h3>
            <p className="muted">
              {t('providers')}: {state.hardware.providers.join(', ')} · {t('gpu')}: {state.hardware.gpu ?? t('noGpu')}
              {state.hardware.vramGb ? ` (${state.hardware.vramGb} GB)` : ''} · {t('ram')}: {state.hardware.ramGb} GB
            </p>
          </section>
        )}

        <section aria-label={t('roles')}>
          <h3>{t('roles')}</h3>
          <div className="models-roles">
            {roles.map((r) => {
              const options = state.installed.filter((m) => fitsRole(m, r));
              const current = state.roles[r] ?? 'none';
              const loaded = r === 'generator' && state.generator?.loaded && state.generator.provider ? t('loadedOn', { provider: state.generator.provider }) : '';
              return (
                <label key={r} className="models-role">
                  <span>{roleLabel(r)}</span>
                  <select value={current} onChange={(e) => void choose(r, e.target.value)} aria-label={roleLabel(r)} disabled={switching !== null}>
                    <option value="none">{r === 'relevance' ? t('builtin') : t('none')}</option>
                    {options.filter((m) => m.source !== 'builtin').map((m) => (
                      <option key={m.id} value={m.id}>{m.name ?? m.id} ({formatBytes(m.sizeBytes)})</option>
                    ))}
                  </select>
                  {switching === r ? <span className="muted" role="status">{t('switching')}</span> : loaded && <span className="muted">{loaded}</span>}
                </label>
              );
            })}
          </div>
        </section>

        <section aria-label={t('installed')}>
          <h3>{t('installed')}</h3>
          {state.installed.length === 0 && <p className="muted">{t('noneInstalled')}</p>}
          <ul className="models-list">
            {state.installed.map((m) => (
              <li key={m.id} className="models-row" data-installed={m.id}>
                <div className="models-main">
                  <strong>{m.name ?? m.id}</strong>
                  <span className="muted">
                    {roleLabel(m.role)} · {formatBytes(m.sizeBytes)} · {m.source === 'builtin' ? t('builtin') : m.source}
                    {m.linked ? ` (${t('linked')})` : ''}
                    {m.dtype ? ` · ${m.dtype}` : ''}
                  </span>
                  <span className="models-path" title={m.dir}>{m.dir}</span>
                </div>
                <div className="models-side">
                  {m.source !== 'builtin' && <button type="button" onClick={() => void remove(m.id)}>{t('remove')}</button>}
                </div>
              </li>
            ))}
          </ul>
        </section>

        <section aria-label={t('catalog')}>
          <h3>{t('catalog')}</h3>
          <ul className="models-list">{state.catalog.map(catalogRow)}</ul>
        </section>

        <section aria-label={t('fromHub')}>
          <h3>{t('fromHub')}</h3>
          <form className="models-form" onSubmit={submitRepo}>
            <input value={repo} onChange={(e) => setRepo(e.target.value)} placeholder={t('repoPlaceholder')} aria-label={t('repoLabel')} />
            <select value={dtype} onChange={(e) => setDtype(e.target.value as Dtype | '')} aria-label={t('dtypeLabel')}>
              <option value="">{t('anyDtype')}</option>
              {dtypes.map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
            <select value={repoRole} onChange={(e) => setRepoRole(e.target.value as ModelRole)} aria-label={t('roleLabel')}>
              {roles.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
            </select>
            <button type="submit" disabled={!repo.trim()}>{t('pull')}</button>
          </form>
          {customDownloads.map((p) => (
            <div key={p.idOrRepo} className="models-row">
              <div className="models-main">
                <strong>{p.idOrRepo}</strong>
                <ProgressBar p={p} t={t} />
              </div>
              <div className="models-side"><button type="button" onClick={() => void cancel(p.idOrRepo)}>{t('cancel')}</button></div>
            </div>
          ))}
        </section>

        <section aria-label={t('importTitle')}>
          <h3>{t('importTitle')}</h3>
          <form className="models-form" onSubmit={submitFolder}>
            <input value={folder} onChange={(e) => setFolder(e.target.value)} placeholder={t('folderPlaceholder')} aria-label={t('folderLabel')} />
            <select value={folderRole} onChange={(e) => setFolderRole(e.target.value as ModelRole)} aria-label={t('roleLabel')}>
              {roles.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
            </select>
            <button type="submit" disabled={!folder.trim()}>{t('import')}</button>
          </form>
          <label className="models-check">
            <input type="checkbox" checked={copy} onChange={(e) => setCopy(e.target.checked)} /> {t('copy')}
          </label>
        </section>
      </div>
    </div>
  );
}

export default ModelsDialog;
