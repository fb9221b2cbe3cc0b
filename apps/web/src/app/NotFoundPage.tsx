import { Link } from 'react-router';
import { useI18n } from '../lib/i18n/useI18n';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <main className="auth-card" id="main">
      <title>{`${t('notFound.title')} · ${t('app.name')}`}</title>
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </main>
  );
}
