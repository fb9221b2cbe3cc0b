import { describeError } from '../lib/api/describeError';
import { useI18n } from '../lib/i18n/useI18n';
import { FormAlert } from './FormAlert';

/** A failed load as a human sentence with a retry button. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t, locale } = useI18n();
  return (
    <FormAlert>
      <p>{describeError(error, t, locale)}</p>
      <button type="button" className="button-secondary" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </FormAlert>
  );
}
