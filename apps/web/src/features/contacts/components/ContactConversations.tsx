import { Link } from 'react-router';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { formatListTime } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useNow } from '../../../lib/useNow';
import { statusLabels } from '../../inbox/labels';
import { displayPreview } from '../../inbox/messageModel';
import { useContactConversations } from '../hooks/useContacts';

export function ContactConversations({
  contactId,
  currentConversationId,
}: {
  contactId: string;
  currentConversationId?: string | undefined;
}) {
  const { t, locale } = useI18n();
  const now = useNow(60_000);
  const conversations = useContactConversations(contactId);
  const others = (conversations.data?.items ?? []).filter((c) => c.id !== currentConversationId);

  return (
    <section className="panel-section">
      <h3>
        {currentConversationId === undefined ? t('contact.conversations') : t('contact.otherConversations')}
      </h3>
      {conversations.isPending ? (
        <Skeleton lines={2} />
      ) : conversations.isError ? (
        <QueryError error={conversations.error} onRetry={() => void conversations.refetch()} />
      ) : others.length === 0 ? (
        <p className="muted">{t('contact.noOtherConversations')}</p>
      ) : (
        <ul className="plain-list">
          {others.map((c) => (
            <li key={c.id}>
              <Link to={`/inbox/${c.id}?tab=all&status=all`}>
                {c.number?.purpose ?? t('inbox.numberDisconnected')} · {t(statusLabels[c.status])}
              </Link>
              <span className="muted small"> {formatListTime(c.lastMessageAt, now, locale)}</span>
              {c.lastMessage === null ? null : (
                <p className="muted small row-preview">
                  {displayPreview(c.lastMessage.type, c.lastMessage.preview, t)}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
