import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useSession } from '../../auth/hooks/useMe';
import { allowedSections } from '../../shell/settingsPermissions';

/** Settings for administrators: only the sections the user's permissions allow. */
export function SettingsLayout() {
  const { t } = useI18n();
  const { user } = useSession();
  const location = useLocation();
  const sections = allowedSections(user.permissions);
  const first = sections[0];

  if (first === undefined) {
    return (
      <section className="page">
        <h1>{t('nav.settings')}</h1>
        <p>{t('errors.forbidden')}</p>
      </section>
    );
  }
  if (location.pathname.replace(/\/$/, '') === '/settings')
    return <Navigate to={`/settings/${first.path}`} replace />;

  return (
    <div className="split-page settings">
      <nav className="split-list settings-nav" aria-label={t('nav.settings')}>
        <h1>{t('nav.settings')}</h1>
        <ul className="plain-list">
          {sections.map((s) => (
            <li key={s.path}>
              <NavLink to={`/settings/${s.path}`}>{t(s.label)}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="split-detail">
        <Outlet />
      </div>
    </div>
  );
}
