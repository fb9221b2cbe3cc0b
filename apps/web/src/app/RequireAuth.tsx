import { Navigate, Outlet, useLocation } from 'react-router';
import { FormAlert } from '../components/FormAlert';
import { LoadingScreen } from '../components/LoadingScreen';
import { useMe } from '../features/auth/hooks/useMe';
import { describeError } from '../lib/api/describeError';
import { useI18n } from '../lib/i18n/useI18n';

/** Renders protected routes once GET /me succeeds; sends signed-out visitors to /login. */
export function RequireAuth() {
  const { t, locale } = useI18n();
  const location = useLocation();
  const me = useMe();

  if (me.isPending) return <LoadingScreen />;
  if (me.isError) {
    return (
      <main className="auth-card" id="main">
        <FormAlert>
          <p>{describeError(me.error, t, locale)}</p>
          <button type="button" className="button-secondary" onClick={() => void me.refetch()}>
            {t('common.retry')}
          </button>
        </FormAlert>
      </main>
    );
  }
  if (me.data === null) {
    const from = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to="/login" replace state={from === '/' ? undefined : { from }} />;
  }
  return <Outlet />;
}
