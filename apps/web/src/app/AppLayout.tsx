import { use } from 'react';
import { NavLink, Outlet } from 'react-router';
import { FormAlert } from '../components/FormAlert';
import { useLogout } from '../features/auth/hooks/useAuthMutations';
import { useSession } from '../features/auth/hooks/useMe';
import { DemoSimulatorLink } from '../features/demo/DemoSimulatorLink';
import { NotificationsBell } from '../features/notifications/components/NotificationsBell';
import { allowedSections } from '../features/shell/settingsPermissions';
import { ShortcutsDialog } from '../features/shell/ShortcutsDialog';
import { UserMenu } from '../features/shell/UserMenu';
import { describeError } from '../lib/api/describeError';
import { useI18n } from '../lib/i18n/useI18n';
import { RealtimeProvider, RealtimeStateContext } from '../lib/realtime/RealtimeProvider';

/** Frame of the signed-in app: navigation, demo link, notifications and the user menu. */
export function AppLayout() {
  return (
    <RealtimeProvider>
      <AppFrame />
    </RealtimeProvider>
  );
}

function AppFrame() {
  const { t, locale } = useI18n();
  const { user, organization } = useSession();
  const logoutMutation = useLogout();
  const realtime = use(RealtimeStateContext);
  const canSettings = allowedSections(user.permissions).length > 0;

  return (
    <div className="app-layout">
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <header className="app-header">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true" />
          {t('app.name')}
          <span className="brand-org" data-testid="org-name">
            {organization.name}
          </span>
        </span>
        <nav aria-label={t('nav.label')}>
          <NavLink to="/inbox">{t('nav.inbox')}</NavLink>
          <NavLink to="/contacts">{t('nav.contacts')}</NavLink>
          {canSettings ? <NavLink to="/settings">{t('nav.settings')}</NavLink> : null}
        </nav>
        <div className="header-actions">
          {realtime === 'reconnecting' ? (
            <span className="connection-state" role="status">
              {t('realtime.reconnecting')}
            </span>
          ) : null}
          <DemoSimulatorLink />
          <NotificationsBell />
          <UserMenu />
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
      <ShortcutsDialog />
    </div>
  );
}
