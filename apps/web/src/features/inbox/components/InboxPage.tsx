import { useRef, type CSSProperties } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { formatNumber } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { openShortcutsDialog } from '../../shell/ShortcutsDialog';
import { useConversationCounts } from '../hooks/useInbox';
import { useInboxShortcuts } from '../hooks/useInboxShortcuts';
import { usePaneWidths } from '../hooks/usePaneWidths';
import { InboxSearch } from '../../search/components/InboxSearch';
import { SearchResults } from '../../search/components/SearchResults';
import { readInboxFilters } from '../inboxFilters';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { InboxFilterBar } from './InboxFilterBar';
import { InboxTabs } from './InboxTabs';
import { PaneSeparator } from './PaneSeparator';
import '../../../styles/inbox-tools.css';

/**
 * The shared inbox: list (tabs and filters in the URL), thread, and the contact beside it. The
 * list and the contact panel are resizable (stored per browser).
 */
export function InboxPage() {
  const { t, locale } = useI18n();
  const [searchParams] = useSearchParams();
  const { conversationId } = useParams();
  const filters = readInboxFilters(searchParams);
  const q = searchParams.get('q') ?? '';
  // The tab's title counts conversations with unread messages, so a background tab shows news.
  const unread = useConversationCounts(filters).data?.unread ?? 0;
  useInboxShortcuts(filters, conversationId, q === '');
  const container = useRef<HTMLDivElement>(null);
  const panes = usePaneWidths(container);
  const style = {
    '--inbox-list': `${panes.widths.list}px`,
    '--inbox-contact': `${panes.widths.contact}px`,
  } as CSSProperties;

  return (
    <div
      ref={container}
      className={`inbox is-resizable ${conversationId === undefined ? '' : 'has-selection'}`}
      style={style}
    >
      <title>{`${unread > 0 ? `(${formatNumber(unread, locale)}) ` : ''}${t('nav.inbox')} · ${t('app.name')}`}</title>
      <section className="inbox-list-pane" aria-label={t('inbox.listLabel')}>
        <h1 className="visually-hidden">{t('nav.inbox')}</h1>
        <div className="inbox-list-head">
          <InboxSearch />
          <button
            type="button"
            className="button-ghost shortcuts-button"
            aria-label={t('shortcuts.button')}
            title={`${t('shortcuts.button')} (?)`}
            aria-haspopup="dialog"
            onClick={openShortcutsDialog}
            data-testid="shortcuts-button"
          >
            <span aria-hidden="true">⌨</span>
          </button>
        </div>
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
      <PaneSeparator
        pane="list"
        label={t('panes.resizeList')}
        width={panes.widths.list}
        growsLeft={false}
        onResize={(w) => panes.resize('list', w)}
        onCommit={panes.commit}
      />
      {conversationId === undefined ? (
        <section className="inbox-thread-pane inbox-empty" aria-label={t('inbox.threadLabel')}>
          <p className="muted">{t('inbox.pickConversation')}</p>
        </section>
      ) : (
        <>
          <ConversationView key={conversationId} conversationId={conversationId} />
          <PaneSeparator
            pane="contact"
            label={t('panes.resizeContact')}
            width={panes.widths.contact}
            growsLeft
            onResize={(w) => panes.resize('contact', w)}
            onCommit={panes.commit}
          />
        </>
      )}
    </div>
  );
}
