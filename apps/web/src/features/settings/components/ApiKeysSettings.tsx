import { permissions } from '@switchboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { CheckboxField } from '../../../components/form/Fields';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { formatDateTime } from '../../../lib/i18n/translate';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFocusFirstInvalid } from '../../../lib/useFocusFirstInvalid';
import { checkName } from '../../../lib/validation';
import { createApiKey, listApiKeys, revokeApiKey } from '../api/settingsApi';
import { useAdminMutation } from '../hooks/useAdminMutation';
import { ConfirmButton } from './ConfirmButton';
import { SettingsSection } from './SettingsSection';

const listKey = ['settings', 'api-keys'] as const;

function NewKeyForm({ onCreated }: { onCreated: (key: string) => void }) {
  const { t, locale } = useI18n();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['conversations.read']);
  const [expires, setExpires] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useFocusFirstInvalid(errors);
  const create = useAdminMutation(createApiKey, [listKey]);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const nameError = checkName(name, t);
    if (nameError !== undefined) found['name'] = nameError;
    if (scopes.length === 0) found['scopes'] = t('apiKeys.scopesRequired');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate(
      {
        name: name.trim(),
        scopes,
        ...(expires === '' ? {} : { expiresAt: new Date(`${expires}T23:59:59`).toISOString() }),
      },
      {
        onSuccess: (created) => {
          setName('');
          onCreated(created.key);
        },
      },
    );
  }

  return (
    <form ref={formRef} className="settings-form" onSubmit={submit} noValidate>
      <TextField
        name="name"
        label={t('apiKeys.name')}
        value={name}
        onChange={setName}
        error={errors['name']}
        maxLength={100}
      />
      <fieldset className="scopes">
        <legend>{t('apiKeys.scopes')}</legend>
        {permissions.map((p) => (
          <CheckboxField
            key={p}
            label={p}
            checked={scopes.includes(p)}
            onChange={(on) => setScopes((list) => (on ? [...list, p] : list.filter((s) => s !== p)))}
          />
        ))}
        {errors['scopes'] === undefined ? null : <p className="field-error">{errors['scopes']}</p>}
      </fieldset>
      <div className="field">
        <label htmlFor="api-key-expires">{t('apiKeys.expires')}</label>
        <input
          id="api-key-expires"
          type="date"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
        />
        <p className="field-hint">{t('apiKeys.expiresHint')}</p>
      </div>
      <button type="submit" className="button-primary button-inline" disabled={create.isPending}>
        {t('apiKeys.create')}
      </button>
      {create.isError ? <FormAlert>{describeError(create.error, t, locale)}</FormAlert> : null}
    </form>
  );
}

export function ApiKeysSettings() {
  const { t, locale } = useI18n();
  const keys = useQuery({ queryKey: listKey, queryFn: ({ signal }) => listApiKeys(signal) });
  const revoke = useAdminMutation(revokeApiKey, [listKey]);
  const [created, setCreated] = useState<string>();

  return (
    <SettingsSection title={t('settings.apiKeys')} intro={t('apiKeys.intro')}>
      {created === undefined ? null : (
        <div className="alert alert-success" role="status">
          <p>{t('apiKeys.createdOnce')}</p>
          <p>
            <code className="mono secret" data-testid="new-api-key">
              {created}
            </code>
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button-secondary"
              onClick={() => void navigator.clipboard.writeText(created)}
            >
              {t('common.copy')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setCreated(undefined)}>
              {t('apiKeys.done')}
            </button>
          </div>
        </div>
      )}
      <h3>{t('apiKeys.new')}</h3>
      <NewKeyForm onCreated={setCreated} />
      {revoke.isError ? <FormAlert>{describeError(revoke.error, t, locale)}</FormAlert> : null}
      {keys.isPending ? (
        <Skeleton />
      ) : keys.isError ? (
        <QueryError error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <p className="muted">{t('apiKeys.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="sessions-table">
            <thead>
              <tr>
                <th scope="col">{t('apiKeys.name')}</th>
                <th scope="col">{t('apiKeys.scopes')}</th>
                <th scope="col">{t('apiKeys.lastUsed')}</th>
                <th scope="col">{t('apiKeys.expires')}</th>
                <th scope="col">{t('sessions.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.id}>
                  <th scope="row">
                    {k.name} <span className="muted mono">{k.prefix}…</span>
                  </th>
                  <td className="small">{k.scopes.join(', ')}</td>
                  <td>{k.lastUsedAt === null ? t('apiKeys.never') : formatDateTime(k.lastUsedAt, locale)}</td>
                  <td>{k.expiresAt === null ? t('apiKeys.never') : formatDateTime(k.expiresAt, locale)}</td>
                  <td>
                    {k.revokedAt === null ? (
                      <ConfirmButton
                        label={t('apiKeys.revoke')}
                        confirmLabel={t('apiKeys.confirmRevoke', { name: k.name })}
                        onConfirm={() => revoke.mutate(k.id)}
                      />
                    ) : (
                      <span className="muted">{t('apiKeys.revoked')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SettingsSection>
  );
}
