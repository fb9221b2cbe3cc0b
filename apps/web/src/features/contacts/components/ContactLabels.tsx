import { FormAlert } from '../../../components/FormAlert';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useCan, useLabels } from '../../directory/hooks/useDirectory';
import type { Contact } from '../api/contactsApi';
import { useToggleContactLabel } from '../hooks/useContacts';

export function ContactLabels({ contact }: { contact: Contact }) {
  const { t, locale } = useI18n();
  const labels = useLabels();
  const canManage = useCan('conversations.manage');
  const toggle = useToggleContactLabel(contact.id);
  const attached = new Set(contact.labels.map((l) => l.id));
  const all = labels.data ?? [];

  return (
    <section className="panel-section">
      <h3>{t('contact.labels')}</h3>
      {all.length === 0 ? (
        <p className="muted">{t('actions.noLabels')}</p>
      ) : (
        <ul className="label-toggles">
          {all.map((label) => (
            <li key={label.id}>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={attached.has(label.id)}
                  disabled={!canManage || toggle.isPending}
                  onChange={(e) => toggle.mutate({ labelId: label.id, attached: e.target.checked })}
                />
                <span className="label-dot" style={{ background: label.color }} aria-hidden="true" />
                {label.name}
              </label>
            </li>
          ))}
        </ul>
      )}
      {toggle.isError ? <FormAlert>{describeError(toggle.error, t, locale)}</FormAlert> : null}
    </section>
  );
}
