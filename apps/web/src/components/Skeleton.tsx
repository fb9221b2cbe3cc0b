import { useI18n } from '../lib/i18n/useI18n';

/** Grey placeholder lines while something loads; announced once as "Loading…". */
export function Skeleton({ lines = 3, className = '' }: { lines?: number; className?: string }) {
  const { t } = useI18n();
  return (
    <div className={`skeleton ${className}`} role="status" aria-label={t('common.loading')}>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}
