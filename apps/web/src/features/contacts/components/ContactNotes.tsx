import { useId, useState, type SyntheticEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { describeError } from '../../../lib/api/describeError';
import { formatDateTime } from '../../../lib/i18n/translate';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useCan } from '../../directory/hooks/useDirectory';
import { useAddContactNote, useContactNotes } from '../hooks/useContacts';

/** Notes about the customer (not about one conversation), newest first. */
export function ContactNotes({ contactId }: { contactId: string }) {
  const { t, locale } = useI18n();
  const notes = useContactNotes(contactId);
  const add = useAddContactNote(contactId);
  const canManage = useCan('conversations.manage');
  const [body, setBody] = useState('');
  const inputId = useId();

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    if (body.trim() === '') return;
    add.mutate(body.trim(), { onSuccess: () => setBody('') });
  }

  return (
    <section className="panel-section">
      <h3>{t('contact.notes')}</h3>
      {canManage ? (
        <form onSubmit={submit} className="inline-form">
          <label htmlFor={inputId} className="visually-hidden">
            {t('contact.newNote')}
          </label>
          <textarea
            id={inputId}
            rows={2}
            value={body}
            placeholder={t('contact.newNote')}
            onChange={(e) => setBody(e.target.value)}
          />
          <button type="submit" className="button-secondary" disabled={add.isPending || body.trim() === ''}>
            {t('contact.addNote')}
          </button>
          {add.isError ? <FormAlert>{describeError(add.error, t, locale)}</FormAlert> : null}
        </form>
      ) : null}
      {notes.isPending ? (
        <Skeleton lines={2} />
      ) : notes.isError ? (
        <QueryError error={notes.error} onRetry={() => void notes.refetch()} />
      ) : notes.data.items.length === 0 ? (
        <p className="muted">{t('contact.noNotes')}</p>
      ) : (
        <ul className="note-list">
          {notes.data.items.map((note) => (
            <li key={note.id}>
              <p className="message-text">{note.body}</p>
              <p className="muted small">
                {note.author?.name ?? t('contact.apiAuthor')} ·{' '}
                <time dateTime={note.createdAt}>{formatDateTime(note.createdAt, locale)}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
