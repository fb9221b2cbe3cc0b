import { createLabelRequestSchema } from '@switchboard/contracts';
import { useState, type SyntheticEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFocusFirstInvalid } from '../../../lib/useFocusFirstInvalid';
import { issuesToFieldErrors } from '../../../lib/zodErrors';
import type { Label } from '../../directory/api/directoryApi';
import { directoryKeys, useLabels } from '../../directory/hooks/useDirectory';
import { createLabel, deleteLabel, updateLabel } from '../api/settingsApi';
import { useAdminMutation } from '../hooks/useAdminMutation';
import { ConfirmButton } from './ConfirmButton';
import { SettingsSection } from './SettingsSection';

const keys = [directoryKeys.labels, ['inbox']] as const;

function LabelForm({ label, onDone }: { label?: Label; onDone: () => void }) {
  const { t, locale } = useI18n();
  const [name, setName] = useState(label?.name ?? '');
  const [color, setColor] = useState(label?.color ?? '#1f8a70');
  const [description, setDescription] = useState(label?.description ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useFocusFirstInvalid(errors);
  const save = useAdminMutation(
    (body: { name: string; color: string; description: string | null }) =>
      label === undefined ? createLabel(body) : updateLabel(label.id, body),
    keys,
  );

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const body = { name, color, description: description.trim() === '' ? null : description };
    const parsed = createLabelRequestSchema.safeParse(body);
    setErrors(parsed.success ? {} : issuesToFieldErrors(parsed.error.issues, t));
    if (parsed.success) save.mutate(body, { onSuccess: onDone });
  }

  return (
    <form ref={formRef} className="settings-form" onSubmit={submit} noValidate>
      <TextField
        name="name"
        label={t('labels.name')}
        value={name}
        onChange={setName}
        error={errors['name']}
        maxLength={50}
        required
      />
      <div className="field">
        <label htmlFor={`color-${label?.id ?? 'new'}`}>{t('labels.color')}</label>
        <input
          id={`color-${label?.id ?? 'new'}`}
          type="color"
          value={color}
          onChange={(e) => setColor(e.target.value)}
        />
      </div>
      <TextField
        name="description"
        label={t('labels.description')}
        value={description}
        onChange={setDescription}
        maxLength={500}
      />
      <div className="form-actions">
        <button type="submit" className="button-primary button-inline" disabled={save.isPending}>
          {label === undefined ? t('labels.create') : t('common.save')}
        </button>
        {label === undefined ? null : (
          <button type="button" className="button-secondary" onClick={onDone}>
            {t('common.cancel')}
          </button>
        )}
      </div>
      {save.isError ? <FormAlert>{describeError(save.error, t, locale)}</FormAlert> : null}
    </form>
  );
}

export function LabelsSettings() {
  const { t, locale } = useI18n();
  const labels = useLabels();
  const [editing, setEditing] = useState<string>();
  // Bumped after each creation: a fresh, empty form.
  const [created, setCreated] = useState(0);
  const remove = useAdminMutation(deleteLabel, keys);

  return (
    <SettingsSection title={t('settings.labels')} intro={t('labels.intro')}>
      <h3>{t('labels.new')}</h3>
      <LabelForm key={created} onDone={() => setCreated((n) => n + 1)} />
      {remove.isError ? <FormAlert>{describeError(remove.error, t, locale)}</FormAlert> : null}
      {labels.isPending ? (
        <Skeleton />
      ) : labels.isError ? (
        <QueryError error={labels.error} onRetry={() => void labels.refetch()} />
      ) : labels.data.length === 0 ? (
        <p className="muted">{t('actions.noLabels')}</p>
      ) : (
        <ul className="settings-list">
          {labels.data.map((label) =>
            editing === label.id ? (
              <li key={label.id}>
                <LabelForm label={label} onDone={() => setEditing(undefined)} />
              </li>
            ) : (
              <li key={label.id}>
                <span className="chip">
                  <span className="label-dot" style={{ background: label.color }} aria-hidden="true" />
                  {label.name}
                </span>
                <span className="muted">{label.description}</span>
                <span className="form-actions">
                  <button type="button" className="button-secondary" onClick={() => setEditing(label.id)}>
                    {t('common.edit')}
                  </button>
                  <ConfirmButton
                    label={t('common.delete')}
                    confirmLabel={t('labels.confirmDelete', { name: label.name })}
                    onConfirm={() => remove.mutate(label.id)}
                  />
                </span>
              </li>
            ),
          )}
        </ul>
      )}
    </SettingsSection>
  );
}
