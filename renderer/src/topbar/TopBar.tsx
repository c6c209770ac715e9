/** The top bar: project, Write/Pause/Resume/Stop, progress, model and provider, export, models, language, health. */
import { useEffect, useState } from 'react';
import type { PipelineStep } from '../../../electron/contract/contract.ts';
import { localeNames, useI18n, type Locale } from '../i18n/i18n.ts';
import { pipeline } from '../state/actions.ts';
import { useDesk } from '../state/store.ts';
import { useHealth } from '../useHealth.ts';
import { isMod, keys, withKey } from '../editor/shortcuts.ts';
import { ExportMenu } from './ExportMenu.tsx';
import { ModelsMount } from './ModelsMount.tsx';
import { ProjectDialog } from './ProjectDialog.tsx';

const running: PipelineStep[] = ['planning', 'drafting', 'scoring', 'revising'];

function formatEta(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function TopBar() {
  const { t, locale, setLocale } = useI18n();
  const health = useHealth();
  const p = useDesk((s) => s.pipeline);
  const gen = useDesk((s) => s.generator);
  const title = useDesk((s) => s.summary?.title ?? null);
  const [dialog, setDialog] = useState<'new' | 'open' | 'models' | null>(null);
  const isRunning = running.includes(p.step);
  const isPaused = p.step === 'paused';

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isMod(e) || e.key !== 'Enter') return;
      e.preventDefault();
      if (e.shiftKey) void pipeline(isRunning ? 'write.pause' : 'write.stop');
      else void pipeline(isPaused ? 'write.resume' : 'write.start');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [isRunning, isPaused]);

  const model = gen?.loaded ? t('top.provider', { model: gen.modelName ?? 'model', provider: (gen.provider ?? 'cpu').toUpperCase() === 'CPU' ? 'CPU' : `GPU (${gen.provider})` }) : t('top.noModel');

  return (
    <header className="topbar" role="banner">
      <span className="brand">{t('app.name')}</span>
      <button type="button" onClick={() => setDialog('new')}>{t('top.new')}</button>
      <button type="button" onClick={() => setDialog('open')}>{t('top.open')}</button>
      {title !== null && <span className="project-title" title={title}>{title}</span>}
      <span className="tb-sep" />
      {isPaused ? (
        <button type="button" className="primary" title={withKey(t('top.resume'), keys.write)} onClick={() => void pipeline('write.resume')}>{t('top.resume')}</button>
      ) : (
        <button type="button" className="primary" title={withKey(t('top.write'), keys.write)} disabled={isRunning} onClick={() => void pipeline('write.start')}>{t('top.write')}</button>
      )}
      <button type="button" title={withKey(t('top.pause'), keys.pause)} disabled={!isRunning} onClick={() => void pipeline('write.pause')}>{t('top.pause')}</button>
      <button type="button" title={t('top.stop')} disabled={!isRunning && !isPaused} onClick={() => void pipeline('write.stop')}>{t('top.stop')}</button>
      <div className="progress">
        <progress aria-label={t('top.progress')} max={Math.max(1, p.total)} value={p.done} />
        <span className="progress-text" data-testid="progress-text">
          {t('top.progressText', { done: p.done, total: p.total, step: t(`step.${p.step}`) })}
          {p.tokensPerSecond ? ` · ${t('top.speed', { tps: p.tokensPerSecond.toFixed(1) })}` : ''}
          {p.etaSeconds ? ` · ${t('top.eta', { eta: formatEta(p.etaSeconds) })}` : ''}
        </span>
      </div>
      <span className="spacer" />
      <span className="model" aria-label={t('top.model')} title={gen?.fallbackReason ?? model}>{model}</span>
      <ExportMenu />
      <button type="button" onClick={() => setDialog('models')}>{t('top.models')}</button>
      <select aria-label={t('top.language')} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {Object.entries(localeNames).map(([k, name]) => (
          <option key={k} value={k}>{name}</option>
        ))}
      </select>
      <span role="status" aria-label={t('engine.status')} className={`status status-${health.state}`} title={health.detail}>
        {health.state === 'healthy' ? t('engine.ready', { version: health.version ?? '' }) : health.state === 'checking' ? t('engine.connecting') : t('engine.down')}
      </span>
      {(dialog === 'new' || dialog === 'open') && <ProjectDialog mode={dialog} onClose={() => setDialog(null)} />}
      {dialog === 'models' && <ModelsMount onClose={() => setDialog(null)} />}
    </header>
  );
}
