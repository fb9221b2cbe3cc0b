import { useI18n } from '../lib/i18n/useI18n';

export function LoadingScreen() {
  const { t } = useI18n();
  return (
    <div className="loading-screen" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{t('common.loading')}</span>
    </div>
  );
}
