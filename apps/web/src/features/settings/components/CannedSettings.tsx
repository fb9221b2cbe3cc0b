import { cannedContentSchema, cannedShortCodeSchema, cannedVariables } from '@switchboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { TextAreaField } from '../../../components/form/Fields';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFocusFirstInvalid } from '../../../lib/useFocusFirstInvalid';
import { issuesToFieldErrors } from '../../../lib/zodErrors';
import {
  createCannedResponse,
  deleteCannedResponse,
  listCannedResponses,
  updateCannedResponse,
  type CannedResponse,
} from '../../canned-responses/api/cannedApi';
import { useAdminMutation } from '../hooks/useAdminMutation';
import { ConfirmButton } from './ConfirmButton';
import { SettingsSection } from './SettingsSection';

const listKey = ['canned-responses', 'all'] as const;
const keys = [['canned-responses']] as const;

function CannedForm({ canned, onDone }: { canned?: CannedResponse; onDone: () => void }) {
  const { t, locale } = useI18n();
  const [shortCode, setShortCode] = useState(canned?.shortCode ?? '');
  const [content, setContent] = useState(canned?.content ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useFocusFirstInvalid(errors);
  const save = useAdminMutation(
    (body: { shortCode: string; content: string }) =>
      canned === undefined ? createCannedResponse(body) : updateCannedResponse(canned.id, body),
    keys,
  );

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const code = cannedShortCodeSchema.safeParse(shortCode);
    if (!code.success)
      found['shortCode'] = issuesToFieldErrors(code.error.issues, t)[''] ?? t('validation.invalid');
    const text = cannedContentSchema.safeParse(content);
    if (!text.success)
      found['content'] = issuesToFieldErrors(text.error.issues, t)[''] ?? t('validation.invalid');
    setErrors(found);
    if (code.success && text.success)
      save.mutate({ shortCode: code.data, content: text.data }, { onSuccess: onDone });
  }

  return (
    <form ref={formRef} className="settings-form" onSubmit={submit} noValidate>
      <TextField
        name="shortCode"
        label={t('canned.shortCode')}
        hint={t('canned.shortCodeHint')}
        value={shortCode}
        onChange={setShortCode}
        error={errors['shortCode']}
        maxLength={50}
      />
      <TextAreaField
        label={t('canned.content')}
        hint={t('canned.variablesHint', { variables: cannedVariables.map((v) => `{{${v}}}`).join(', ') })}
        value={content}
        onChange={setContent}
        error={errors['content']}
        rows={4}
      />
      <div className="form-actions">
        <button type="submit" className="button-primary button-inline" disabled={save.isPending}>
          {canned === undefined ? t('canned.create') : t('common.save')}
        </button>
        {canned === undefined ? null : (
          <button type="button" className="button-secondary" onClick={onDone}>
            {t('common.cancel')}
          </button>
        )}
      </div>
      {save.isError ? <FormAlert>{describeError(save.error, t, locale)}</FormAlert> : null}
    </form>
  );
}

export function CannedSettings() {
  const { t, locale } = useI18n();
  const list = useQuery({
    queryKey: listKey,
    queryFn: ({ signal }) => listCannedResponses(undefined, signal),
  });
  const [editing, setEditing] = useState<string>();
  // Bumped after each creation: a fresh, empty form.
  const [created, setCreated] = useState(0);
  const remove = useAdminMutation(deleteCannedResponse, keys);

  return (
    <SettingsSection title={t('settings.canned')} intro={t('canned.intro')}>
      <h3>{t('canned.new')}</h3>
      <CannedForm key={created} onDone={() => setCreated((n) => n + 1)} />
      {remove.isError ? <FormAlert>{describeError(remove.error, t, locale)}</FormAlert> : null}
      {list.isPending ? (
        <Skeleton />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <p className="muted">{t('canned.empty')}</p>
      ) : (
        <ul className="settings-list">
          {list.data.map((c) =>
            editing === c.id ? (
              <li key={c.id}>
                <CannedForm canned={c} onDone={() => setEditing(undefined)} />
              </li>
            ) : (
              <li key={c.id}>
                <strong className="mono">/{c.shortCode}</strong>
                <span className="canned-content">{c.content}</span>
                <span className="form-actions">
                  <button type="button" className="button-secondary" onClick={() => setEditing(c.id)}>
                    {t('common.edit')}
                  </button>
                  <ConfirmButton
                    label={t('common.delete')}
                    confirmLabel={t('canned.confirmDelete', { code: c.shortCode })}
                    onConfirm={() => remove.mutate(c.id)}
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
