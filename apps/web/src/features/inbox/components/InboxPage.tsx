import { useParams, useSearchParams } from 'react-router';
import { formatNumber } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useConversationCounts } from '../hooks/useInbox';
import { InboxSearch } from '../../search/components/InboxSearch';
import { SearchResults } from '../../search/components/SearchResults';
import { readInboxFilters } from '../inboxFilters';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { InboxFilterBar } from './InboxFilterBar';
import { InboxTabs } from './InboxTabs';

/** The shared inbox: list (tabs and filters in the URL), thread, and the contact beside it. */
export function InboxPage() {
  const { t, locale } = useI18n();
  const [searchParams] = useSearchParams();
  const { conversationId } = useParams();
  const filters = readInboxFilters(searchParams);
  const q = searchParams.get('q') ?? '';
  // The tab's title counts conversations with unread messages, so a background tab shows news.
  const unread = useConversationCounts(filters).data?.unread ?? 0;

  return (
    <div className={`inbox ${conversationId === undefined ? '' : 'has-selection'}`}>
      <title>{`${unread > 0 ? `(${formatNumber(unread, locale)}) ` : ''}${t('nav.inbox')} · ${t('app.name')}`}</title>
      <section className="inbox-list-pane" aria-label={t('inbox.listLabel')}>
        <h1 className="visually-hidden">{t('nav.inbox')}</h1>
        <InboxSearch />
        {q === '' ? (
          <>
            <InboxTabs filters={filters} />
            <InboxFilterBar filters={filters} />
            <ConversationList filters={filters} selectedId={conversationId} />
          </>
        ) : (
          <SearchResults q={q} />
        )}
      </section>
      {conversationId === undefined ? (
        <section className="inbox-thread-pane inbox-empty" aria-label={t('inbox.threadLabel')}>
          <p className="muted">{t('inbox.pickConversation')}</p>
        </section>
      ) : (
        <ConversationView key={conversationId} conversationId={conversationId} />
      )}
    </div>
  );
}
