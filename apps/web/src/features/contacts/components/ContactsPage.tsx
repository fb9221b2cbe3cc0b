import { useDeferredValue, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { useI18n } from '../../../lib/i18n/useI18n';
import { contactName } from '../contactName';
import { useContactList } from '../hooks/useContacts';
import { ContactPanel } from './ContactPanel';

/** Contacts: search by name or phone, and the selected contact's panel. */
export function ContactsPage() {
  const { t } = useI18n();
  const { contactId } = useParams();
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q.trim());
  const contacts = useContactList(deferred);
  const searchId = useId();
  const items = contacts.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="split-page">
      <title>{`${t('nav.contacts')} · ${t('app.name')}`}</title>
      <section className="split-list" aria-labelledby="contacts-title">
        <h1 id="contacts-title">{t('nav.contacts')}</h1>
        <div className="field">
          <label htmlFor={searchId}>{t('contacts.search')}</label>
          <input
            id={searchId}
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('contacts.searchPlaceholder')}
          />
        </div>
        {contacts.isPending ? (
          <Skeleton lines={6} />
        ) : contacts.isError ? (
          <QueryError error={contacts.error} onRetry={() => void contacts.refetch()} />
        ) : items.length === 0 ? (
          <p className="muted">{t('contacts.empty')}</p>
        ) : (
          <ul className="plain-list contact-list">
            {items.map((c) => (
              <li key={c.id}>
                <Link to={`/contacts/${c.id}`} aria-current={c.id === contactId ? 'true' : undefined}>
                  <strong>{contactName(c, t('contact.unknown'))}</strong>
                  <span className="muted small"> {c.phoneE164 ?? ''}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        {contacts.hasNextPage ? (
          <button
            type="button"
            className="button-secondary"
            disabled={contacts.isFetchingNextPage}
            onClick={() => void contacts.fetchNextPage()}
          >
            {t('common.loadMore')}
          </button>
        ) : null}
      </section>
      <section className="split-detail" aria-label={t('contact.panelLabel')}>
        {contactId === undefined ? (
          <p className="muted">{t('contacts.pick')}</p>
        ) : (
          <ContactPanel key={contactId} contactId={contactId} />
        )}
      </section>
    </div>
  );
}
