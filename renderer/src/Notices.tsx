/** Non-blocking notices: errors say what failed and what to do; none of them stop the person working. */
import { useI18n } from './i18n/i18n.ts';
import { dismissNotice, useDesk } from './state/store.ts';

export function Notices() {
  const { t } = useI18n();
  const notices = useDesk((s) => s.notices);
  return (
    <div className="notices" role="region" aria-label={t('notice.region')} aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <div>
            <div>{n.text}</div>
            {n.hint && <div className="muted">{n.hint}</div>}
          </div>
          <button type="button" aria-label={t('notice.dismiss')} onClick={() => dismissNotice(n.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
