import { useId, useState, type SyntheticEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { describeError } from '../../../lib/api/describeError';
import { hasErrorCode, readFieldErrors } from '../../../lib/api/problem';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useCan } from '../../directory/hooks/useDirectory';
import type { AttributeDefinition, AttributeValue, Contact } from '../api/contactsApi';
import { attributeInput, changedAttributes, parseAttributeInput } from '../attributeForm';
import { useAttributeDefinitions, useUpdateContact } from '../hooks/useContacts';

function AttributeInput({
  definition: d,
  value,
  onChange,
  error,
  disabled,
}: {
  definition: AttributeDefinition;
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const id = useId();
  const common = {
    id,
    disabled,
    'aria-invalid': error === undefined ? undefined : true,
    'aria-describedby': error === undefined ? undefined : `${id}-error`,
  };
  let input;
  if (d.type === 'boolean' || d.type === 'list') {
    input = (
      <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('contact.attributeEmpty')}</option>
        {d.type === 'boolean' ? (
          <>
            <option value="true">{t('common.yes')}</option>
            <option value="false">{t('common.no')}</option>
          </>
        ) : (
          d.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))
        )}
      </select>
    );
  } else {
    input = (
      <input
        {...common}
        type={d.type === 'date' ? 'date' : 'text'}
        inputMode={d.type === 'number' ? 'decimal' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{d.label}</label>
      {input}
      {d.description === null ? null : <p className="field-hint">{d.description}</p>}
      {error === undefined ? null : (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function ContactAttributes({ contact }: { contact: Contact }) {
  const { t, locale } = useI18n();
  const definitions = useAttributeDefinitions();
  const canManage = useCan('conversations.manage');
  const update = useUpdateContact(contact.id);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  if (definitions.isError)
    return <QueryError error={definitions.error} onRetry={() => void definitions.refetch()} />;
  const defs = definitions.data ?? [];
  const valueOf = (key: string) => draft[key] ?? attributeInput(contact.attributes[key]);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setSaved(false);
    const next: Record<string, AttributeValue> = {};
    const found: Record<string, string> = {};
    for (const d of defs) {
      const parsed = parseAttributeInput(d, valueOf(d.key));
      if (parsed.ok) next[d.key] = parsed.value;
      else
        found[d.key] = t(
          parsed.error === 'number'
            ? 'contact.invalidNumber'
            : parsed.error === 'date'
              ? 'contact.invalidDate'
              : 'contact.invalidOption',
        );
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const changes = changedAttributes(contact.attributes, next);
    if (Object.keys(changes).length === 0) return;
    update.mutate(
      { attributes: changes },
      {
        onSuccess: () => {
          setDraft({});
          setSaved(true);
        },
        onError: (error) => {
          if (hasErrorCode(error, 'validation_failed') || hasErrorCode(error, 'unprocessable_content')) {
            const fields = readFieldErrors(error.problem);
            setErrors(
              Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^attributes\./, ''), v])),
            );
          }
        },
      },
    );
  }

  return (
    <section className="panel-section">
      <h3>{t('contact.attributes')}</h3>
      {defs.length === 0 ? (
        <p className="muted">{t('contact.noAttributes')}</p>
      ) : (
        <form onSubmit={submit}>
          {defs.map((d) => (
            <AttributeInput
              key={d.id}
              definition={d}
              value={valueOf(d.key)}
              onChange={(v) => setDraft((current) => ({ ...current, [d.key]: v }))}
              error={errors[d.key]}
              disabled={!canManage}
            />
          ))}
          {canManage ? (
            <button type="submit" className="button-secondary" disabled={update.isPending}>
              {t('contact.saveAttributes')}
            </button>
          ) : null}
          <FormAlert tone="success">{saved ? t('common.saved') : ''}</FormAlert>
          {update.isError ? <FormAlert>{describeError(update.error, t, locale)}</FormAlert> : null}
        </form>
      )}
    </section>
  );
}
