/** Export menu: one item per format, through project.export. */
import { useState } from 'react';
import type { ExportFormat } from '../../../electron/contract/contract.ts';
import { useI18n } from '../i18n/i18n.ts';
import { attempt } from '../api/call.ts';
import { savePlanNow } from '../state/actions.ts';
import { getState, notify, useDesk } from '../state/store.ts';

const formats: ExportFormat[] = ['md', 'html', 'docx', 'pdf', 'epub'];

function slug(s: string): string {
  return s.trim().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 80) || 'document';
}

export function ExportMenu() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const dir = useDesk((s) => s.dir);
  const run = async (format: ExportFormat) => {
    setOpen(false);
    const { dir: d, plan } = getState();
    if (!d) return notify('error', t('export.needProject'));
    await savePlanNow();
    const r = await attempt('project.export', { dir: d, format, out: `${d}/${slug(plan.title)}.${format}` });
    if (r) notify('info', t('export.done', { out: r.out }));
  };
  return (
    <div className="menu">
      <button type="button" aria-haspopup="menu" aria-expanded={open} disabled={!dir} onClick={() => setOpen((o) => !o)}>
        {t('top.export')} ▾
      </button>
      {open && (
        <ul role="menu" aria-label={t('top.export')} className="menu-list" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {formats.map((f) => (
            <li key={f} role="none">
              <button type="button" role="menuitem" onClick={() => void run(f)}>
                {t(`export.${f}`)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
