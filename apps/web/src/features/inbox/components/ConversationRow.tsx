import type { UserView } from '@switchboard/contracts';
import { Link, useLocation } from 'react-router';
import { formatDuration, formatListTime, formatNumber } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { contactName } from '../../contacts/contactName';
import { userName } from '../../directory/hooks/useDirectory';
import type { Conversation } from '../api/types';
import { WINDOW_WARNING_MS, windowState } from '../composerText';
import { priorityLabels } from '../labels';
import { displayPreview } from '../messageModel';

export interface ConversationRowProps {
  conversation: Conversation;
  selected: boolean;
  users: readonly UserView[];
  now: Date;
}

export function ConversationRow({ conversation: c, selected, users, now }: ConversationRowProps) {
  const { t, locale } = useI18n();
  const location = useLocation();
  const name = contactName(c.contact, t('contact.unknown'));
  const assignee = users.find((u) => u.id === c.assigneeId);
  const win = windowState(c.windowExpiresAt, now);
  const last = c.lastMessage;
  const prefix = last?.direction === 'outbound' ? `${t('inbox.you')}: ` : '';

  return (
    <Link
      to={{ pathname: `/inbox/${c.id}`, search: location.search }}
      className={`conversation-row ${selected ? 'is-selected' : ''} ${c.unreadCount > 0 ? 'is-unread' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid="conversation-row"
    >
      <span className="row-top">
        <span className="row-name">{name}</span>
        <time className="row-time" dateTime={c.lastMessageAt}>
          {formatListTime(c.lastMessageAt, now, locale)}
        </time>
      </span>
      <span className="row-middle">
        <span className="row-preview">
          {last === null ? t('inbox.noMessages') : `${prefix}${displayPreview(last.type, last.preview, t)}`}
        </span>
        {c.unreadCount > 0 ? (
          <span
            className="count-badge"
            aria-label={t('inbox.unreadCount', { count: formatNumber(c.unreadCount, locale) })}
          >
            {formatNumber(c.unreadCount, locale)}
          </span>
        ) : null}
      </span>
      <span className="row-meta">
        {c.number === null ? null : <span className="chip">{c.number.purpose}</span>}
        {c.priority === 'high' || c.priority === 'urgent' ? (
          <span className={`chip priority-${c.priority}`}>{t(priorityLabels[c.priority])}</span>
        ) : null}
        {c.labels.map((label) => (
          <span key={label.id} className="chip label-chip" style={{ borderColor: label.color }}>
            <span className="label-dot" style={{ background: label.color }} aria-hidden="true" />
            {label.name}
          </span>
        ))}
        <span className="row-assignee">
          {assignee === undefined ? t('inbox.unassigned') : userName(assignee)}
        </span>
        {win.open ? (
          win.remainingMs < WINDOW_WARNING_MS ? (
            <span className="window-hint is-warning">
              {t('window.closesIn', { time: formatDuration(win.remainingMs, locale) })}
            </span>
          ) : null
        ) : c.windowExpiresAt === null ? null : (
          <span className="window-hint is-closed">{t('window.closedShort')}</span>
        )}
      </span>
    </Link>
  );
}
