/**
 * Mount point for the Models dialog (renderer/src/models/ModelsDialog.tsx, written by the model-manager area).
 * Found at build time with import.meta.glob, so this build works whether or not that file exists yet.
 */
import type { ComponentType } from 'react';
import { useI18n } from '../i18n/i18n.ts';

interface ModelsDialogProps {
  onClose: () => void;
}

const found = import.meta.glob<{ ModelsDialog?: ComponentType<ModelsDialogProps>; default?: ComponentType<ModelsDialogProps> }>('../models/ModelsDialog.tsx', { eager: true });
const mod = Object.values(found)[0];
const ModelsDialog = mod?.ModelsDialog ?? mod?.default ?? null;

export function ModelsMount({ onClose }: ModelsDialogProps) {
  const { t } = useI18n();
  if (ModelsDialog) return <ModelsDialog onClose={onClose} />;
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={t('top.models')} onClick={(e) => e.stopPropagation()}>
        <h2>{t('top.models')}</h2>
        <p className="muted">{t('top.modelsPending')}</p>
        <button type="button" onClick={onClose}>{t('project.cancel')}</button>
      </div>
    </div>
  );
}
