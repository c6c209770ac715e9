/** New project (title, kind, premise) and open project (recent list, or a folder path). */
import { useEffect, useRef, useState } from 'react';
import type { DocKind, ProjectSummary } from '../../../electron/contract/contract.ts';
import { useI18n } from '../i18n/i18n.ts';
import { attempt } from '../api/call.ts';
import { createProject, openProject } from '../state/actions.ts';
import { getState } from '../state/store.ts';

export function ProjectDialog({ mode, onClose }: { mode: 'new' | 'open'; onClose: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState(getState().plan.title);
  const [kind, setKind] = useState<DocKind>(getState().plan.kind);
  const [premise, setPremise] = useState(getState().plan.premise);
  const [folder, setFolder] = useState('');
  const [recent, setRecent] = useState<ProjectSummary[] | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
    if (mode === 'open') void attempt('project.recent', {}).then((r) => setRecent(r ?? []));
  }, [mode]);

  const run = async (f: () => Promise<boolean>) => {
    setBusy(true);
    const ok = await f();
    setBusy(false);
    if (ok) onClose();
  };

  return (
    <div className="dialog-backdrop" onClick={onClose} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={mode === 'new' ? t('project.dialogNew') : t('project.dialogOpen')} onClick={(e) => e.stopPropagation()}>
        <h2>{mode === 'new' ? t('project.dialogNew') : t('project.dialogOpen')}</h2>
        {mode === 'new' ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => createProject(title, kind, premise));
            }}
          >
            <label className="field">
              <span>{t('project.title')}</span>
              <input ref={first} value={title} onChange={(e) => setTitle(e.target.value)} required />
            </label>
            <label className="field">
              <span>{t('project.kind')}</span>
              <select value={kind} onChange={(e) => setKind(e.target.value as DocKind)}>
                <option value="story">{t('project.kind.story')}</option>
                <option value="report">{t('project.kind.report')}</option>
                <option value="article">{t('project.kind.article')}</option>
              </select>
            </label>
            <label className="field">
              <span>{t('project.premise')}</span>
              <textarea rows={5} value={premise} onChange={(e) => setPremise(e.target.value)} />
            </label>
            <div className="dialog-actions">
              <button type="button" onClick={onClose}>{t('project.cancel')}</button>
              <button type="submit" className="primary" disabled={busy}>{t('project.create')}</button>
            </div>
          </form>
        ) : (
          <>
            <h3>{t('project.recent')}</h3>
            {recent && recent.length === 0 && <p className="muted">{t('project.noRecent')}</p>}
            <ul className="recent">
              {recent?.map((p) => (
                <li key={p.dir}>
                  <button type="button" onClick={() => void run(() => openProject(p.dir))}>
                    <strong>{p.title || p.dir}</strong> <span className="muted">{t('project.words', { count: p.words })} · {p.dir}</span>
                  </button>
                </li>
              ))}
            </ul>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void run(() => openProject(folder));
              }}
            >
              <label className="field">
                <span>{t('project.folder')}</span>
                <input ref={first} value={folder} onChange={(e) => setFolder(e.target.value)} required />
              </label>
              <div className="dialog-actions">
                <button type="button" onClick={onClose}>{t('project.cancel')}</button>
                <button type="submit" className="primary" disabled={busy}>{t('project.openButton')}</button>
              </div>
            </form>
          </>
        )}
      </div>
    </div>
  );
}
