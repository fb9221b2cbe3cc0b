import { useNavigate } from 'react-router';
import { BellIcon } from '../../../components/BellIcon';
import { Disclosure } from '../../../components/Disclosure';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { formatDateTime } from '../../../lib/i18n/translate';
import { formatNumber } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useUsers, userName } from '../../directory/hooks/useDirectory';
import type { AppNotification } from '../api/notificationsApi';
import {
  useMarkAllNotificationsRead,
  useMarkNotificationRead,
  useNotifications,
} from '../hooks/useNotifications';
import { useAttentionAlerts } from '../hooks/useAttentionAlerts';
import { useTitleCount } from '../hooks/useTitleCount';
import { notificationText } from '../notificationText';
import { AlertPreferences } from './AlertPreferences';

export function NotificationsBell() {
  const { t, locale } = useI18n();
  const notifications = useNotifications();
  const markAll = useMarkAllNotificationsRead();
  const unread = notifications.data?.unreadCount ?? 0;
  const label =
    unread > 0
      ? t('notifications.labelUnread', { count: formatNumber(unread, locale) })
      : t('notifications.label');
  useAttentionAlerts();
  useTitleCount(unread, formatNumber(unread, locale));

  return (
    <Disclosure
      label={label}
      buttonClassName="button-ghost bell"
      panelClassName="notifications-panel"
      button={
        <>
          <BellIcon />
          {unread > 0 ? (
            <span className="count-badge" aria-hidden="true">
              {formatNumber(unread, locale)}
            </span>
          ) : null}
        </>
      }
    >
      {(close) => (
        <section aria-label={t('notifications.title')}>
          <header className="panel-header">
            <h2>{t('notifications.title')}</h2>
            <button
              type="button"
              className="button-link"
              disabled={unread === 0 || markAll.isPending}
              onClick={() => markAll.mutate()}
            >
              {t('notifications.markAll')}
            </button>
          </header>
          {notifications.isPending ? (
            <Skeleton lines={3} />
          ) : notifications.isError ? (
            <QueryError error={notifications.error} onRetry={() => void notifications.refetch()} />
          ) : notifications.data.items.length === 0 ? (
            <p className="muted">{t('notifications.empty')}</p>
          ) : (
            <ul className="notification-list">
              {notifications.data.items.map((n) => (
                <NotificationItem key={n.id} notification={n} onOpen={close} locale={locale} />
              ))}
            </ul>
          )}
          <AlertPreferences />
        </section>
      )}
    </Disclosure>
  );
}

function NotificationItem({
  notification,
  onOpen,
  locale,
}: {
  notification: AppNotification;
  onOpen: () => void;
  locale: Parameters<typeof formatDateTime>[1];
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const users = useUsers();
  const markRead = useMarkNotificationRead();
  const actor = users.data?.find((u) => u.id === notification.actorUserId);
  const who = actor === undefined ? t('notifications.someone') : userName(actor);
  const text = notificationText(notification, who, t);

  return (
    <li className={notification.readAt === null ? 'is-unread' : undefined}>
      <button
        type="button"
        className="notification-item"
        onClick={() => {
          if (notification.readAt === null) markRead.mutate(notification.id);
          onOpen();
          if (notification.conversationId !== null)
            void navigate(`/inbox/${notification.conversationId}?tab=all&status=all`);
        }}
      >
        <span>{text}</span>
        {notification.preview === null ? null : (
          <span className="muted notification-preview">{notification.preview}</span>
        )}
        <time className="muted" dateTime={notification.createdAt}>
          {formatDateTime(notification.createdAt, locale)}
        </time>
      </button>
    </li>
  );
}
