import { formatDateTime } from '../../../lib/i18n/translate';
import { useI18n } from '../../../lib/i18n/useI18n';
import type { UserSession } from '../api/sessionsApi';
import { describeUserAgent } from '../userAgent';

export interface SessionRowProps {
  session: UserSession;
  revoking: boolean;
  onRevoke: () => void;
}

export function SessionRow({ session, revoking, onRevoke }: SessionRowProps) {
  const { t, locale } = useI18n();
  const { browser, os } = describeUserAgent(session.userAgent);
  const device =
    browser !== undefined && os !== undefined
      ? t('sessions.browserOnOs', { browser, os })
      : (browser ?? os ?? t('sessions.unknownDevice'));

  return (
    <tr className={session.current ? 'is-current' : undefined}>
      <th scope="row" title={session.userAgent ?? undefined}>
        <span className="session-device">{device}</span>
        {session.current ? <span className="badge">{t('sessions.current')}</span> : null}
      </th>
      <td data-label={t('sessions.ip')}>{session.ip ?? '—'}</td>
      <td data-label={t('sessions.created')}>
        <time dateTime={session.createdAt}>{formatDateTime(session.createdAt, locale)}</time>
      </td>
      <td data-label={t('sessions.lastSeen')}>
        <time dateTime={session.lastSeenAt}>{formatDateTime(session.lastSeenAt, locale)}</time>
      </td>
      <td>
        {session.current ? (
          <span className="muted">{t('sessions.currentHint')}</span>
        ) : (
          <button
            type="button"
            className="button-secondary"
            onClick={onRevoke}
            disabled={revoking}
            aria-label={t('sessions.revokeLabel', { device })}
          >
            {t('sessions.revoke')}
          </button>
        )}
      </td>
    </tr>
  );
}
