import { Outlet } from 'react-router';
import { LanguageSwitch } from '../../../components/LanguageSwitch';
import { useI18n } from '../../../lib/i18n/useI18n';

/** Frame of the signed-out screens: brand, a centered card, and the language switch. */
export function AuthLayout() {
  const { t } = useI18n();
  return (
    <div className="auth-layout">
      <header className="auth-header">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          {t('app.name')}
        </span>
        <LanguageSwitch />
      </header>
      <main className="auth-card" id="main">
        <Outlet />
      </main>
    </div>
  );
}
