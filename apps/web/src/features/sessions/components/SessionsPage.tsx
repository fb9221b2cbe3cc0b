import { FormAlert } from '../../../components/FormAlert';
import { LoadingScreen } from '../../../components/LoadingScreen';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useRevokeSession, useSessions } from '../hooks/useSessions';
import { SessionRow } from './SessionRow';

export function SessionsPage() {
  const { t, locale } = useI18n();
  const sessions = useSessions();
  const revoke = useRevokeSession();

  const revokeError = revoke.isError ? describeError(revoke.error, t, locale) : '';
  const revokedNotice = revoke.isSuccess ? t('sessions.revoked') : '';

  return (
    <section className="page" aria-labelledby="sessions-title">
      <title>{`${t('sessions.title')} · ${t('app.name')}`}</title>
      <h1 id="sessions-title">{t('sessions.title')}</h1>
      <p className="page-intro">{t('sessions.intro')}</p>
      <FormAlert>{revokeError}</FormAlert>
      <FormAlert tone="success">{revokedNotice}</FormAlert>
      {sessions.isPending ? (
        <LoadingScreen />
      ) : sessions.isError ? (
        <FormAlert>
          <p>{describeError(sessions.error, t, locale)}</p>
          <button type="button" className="button-secondary" onClick={() => void sessions.refetch()}>
            {t('common.retry')}
          </button>
        </FormAlert>
      ) : sessions.data.length === 0 ? (
        <p>{t('sessions.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="sessions-table">
            <thead>
              <tr>
                <th scope="col">{t('sessions.device')}</th>
                <th scope="col">{t('sessions.ip')}</th>
                <th scope="col">{t('sessions.created')}</th>
                <th scope="col">{t('sessions.lastSeen')}</th>
                <th scope="col">{t('sessions.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.map((session) => (
                <SessionRow
                  key={session.id}
                  session={session}
                  revoking={revoke.isPending && revoke.variables === session.id}
                  onRevoke={() => revoke.mutate(session.id)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
