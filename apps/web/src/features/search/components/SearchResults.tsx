import { useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { formatListTime } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useNow } from '../../../lib/useNow';
import { contactName } from '../../contacts/contactName';
import { search } from '../api/searchApi';
import { highlightSegments } from '../highlight';

/** Messages (notes included) and contacts matching the inbox search box. */
export function SearchResults({ q }: { q: string }) {
  const { t, locale } = useI18n();
  const now = useNow(60_000);
  const location = useLocation();
  const results = useQuery({
    queryKey: ['search', q],
    queryFn: ({ signal }) => search(q, signal),
    staleTime: 10_000,
  });

  if (results.isPending) return <Skeleton lines={5} />;
  if (results.isError) return <QueryError error={results.error} onRetry={() => void results.refetch()} />;
  const messages = results.data.messages?.items ?? [];
  const contacts = results.data.contacts?.items ?? [];

  return (
    <div className="search-results" data-testid="search-results">
      <h2 className="search-heading">{t('search.messages')}</h2>
      {messages.length === 0 ? (
        <p className="muted list-empty">{t('search.noMessages')}</p>
      ) : (
        <ul className="conversation-list">
          {messages.map((hit) => (
            <li key={hit.id}>
              <Link
                className="conversation-row"
                to={{ pathname: `/inbox/${hit.conversationId}`, search: location.search }}
              >
                <span className="row-top">
                  <span className="row-name">{contactName(hit.contact, t('contact.unknown'))}</span>
                  <time className="row-time" dateTime={hit.occurredAt}>
                    {formatListTime(hit.occurredAt, now, locale)}
                  </time>
                </span>
                <span className="row-preview search-snippet">
                  {hit.direction === 'note' ? <span className="chip">{t('composer.note')}</span> : null}{' '}
                  {highlightSegments(hit.snippet.text, hit.snippet.highlights).map((s, i) =>
                    s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
                  )}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <h2 className="search-heading">{t('search.contacts')}</h2>
      {contacts.length === 0 ? (
        <p className="muted list-empty">{t('search.noContacts')}</p>
      ) : (
        <ul className="conversation-list">
          {contacts.map((c) => (
            <li key={c.id}>
              <Link className="conversation-row" to={`/contacts/${c.id}`}>
                <span className="row-name">{contactName(c, t('contact.unknown'))}</span>
                <span className="row-preview">{c.phoneE164 ?? ''}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
