import { NavLink, Outlet } from 'react-router';
import { FormAlert } from '../components/FormAlert';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useLogout } from '../features/auth/hooks/useAuthMutations';
import { useSession } from '../features/auth/hooks/useMe';
import { describeError } from '../lib/api/describeError';
import { useI18n } from '../lib/i18n/useI18n';

/** Frame of the signed-in app: header with navigation, language switch and sign out. */
export function AppLayout() {
  const { t, locale } = useI18n();
  const { user, organization } = useSession();
  const logoutMutation = useLogout();

  return (
    <div className="app-layout">
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <header className="app-header">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          {t('app.name')}
          <span className="brand-org">{organization.name}</span>
        </span>
        <nav aria-label={t('nav.label')}>
          <NavLink to="/" end>
            {t('nav.home')}
          </NavLink>
          <NavLink to="/account/sessions">{t('nav.sessions')}</NavLink>
        </nav>
        <div className="header-actions">
          <LanguageSwitch />
          <span className="header-user">{`${user.firstName} ${user.lastName}`}</span>
          <button
            type="button"
            className="button-secondary"
            onClick={() => logoutMutation.mutate()}
            disabled={logoutMutation.isPending}
          >
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      {logoutMutation.isError ? (
        <div className="app-banner">
          <FormAlert>{describeError(logoutMutation.error, t, locale)}</FormAlert>
        </div>
      ) : null}
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
