import { formatDuration } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { WINDOW_WARNING_MS, type WindowState } from '../composerText';

/** WhatsApp's 24-hour window: how long free text can still be sent. */
export function WindowCountdown({ state }: { state: WindowState }) {
  const { t, locale } = useI18n();
  if (!state.open) {
    return (
      <span className="window-hint is-closed" data-testid="window-state">
        {t('window.closed')}
      </span>
    );
  }
  const warning = state.remainingMs < WINDOW_WARNING_MS;
  return (
    <span className={`window-hint ${warning ? 'is-warning' : 'is-open'}`} data-testid="window-state">
      {t('window.closesIn', { time: formatDuration(state.remainingMs, locale) })}
    </span>
  );
}
