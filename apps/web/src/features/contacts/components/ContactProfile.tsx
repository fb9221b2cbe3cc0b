import { useState, type SyntheticEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useCan } from '../../directory/hooks/useDirectory';
import type { Contact } from '../api/contactsApi';
import { contactName } from '../contactName';
import { useUpdateContact } from '../hooks/useContacts';

export function ContactProfile({ contact: c }: { contact: Contact }) {
  const { t, locale } = useI18n();
  const canManage = useCan('conversations.manage');
  const update = useUpdateContact(c.id);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(c.name ?? '');

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    update.mutate({ name: name.trim() === '' ? null : name.trim() }, { onSuccess: () => setEditing(false) });
  }

  return (
    <section className="panel-section" aria-labelledby={`profile-${c.id}`}>
      <h3 id={`profile-${c.id}`}>{contactName(c, t('contact.unknown'))}</h3>
      {editing ? (
        <form onSubmit={submit}>
          <TextField
            name="name"
            label={t('contact.name')}
            value={name}
            onChange={setName}
            maxLength={200}
            autoFocus
          />
          <div className="form-actions">
            <button type="submit" className="button-primary button-inline" disabled={update.isPending}>
              {t('common.save')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
          {update.isError ? <FormAlert>{describeError(update.error, t, locale)}</FormAlert> : null}
        </form>
      ) : canManage ? (
        <button type="button" className="button-link" onClick={() => setEditing(true)}>
          {t('contact.editName')}
        </button>
      ) : null}
      <dl className="facts">
        {c.profileName === null ? null : (
          <>
            <dt>{t('contact.profileName')}</dt>
            <dd>{c.profileName}</dd>
          </>
        )}
        <dt>{t('contact.phone')}</dt>
        <dd>{c.phoneE164 ?? t('contact.phoneHidden')}</dd>
        {c.username === null ? null : (
          <>
            <dt>{t('contact.username')}</dt>
            <dd>{c.username}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
