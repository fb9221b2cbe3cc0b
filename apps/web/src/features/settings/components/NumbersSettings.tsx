import { useState } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { directoryKeys, useNumbers, useTeams } from '../../directory/hooks/useDirectory';
import { disconnectNumber } from '../api/settingsApi';
import { useAdminMutation } from '../hooks/useAdminMutation';
import { ConfirmButton } from './ConfirmButton';
import { NumberForm } from './NumberForm';
import { SettingsSection } from './SettingsSection';

export function NumbersSettings() {
  const { t, locale } = useI18n();
  const numbers = useNumbers();
  const teams = useTeams();
  const [editing, setEditing] = useState<string>();
  const remove = useAdminMutation(disconnectNumber, [directoryKeys.numbers]);

  return (
    <SettingsSection title={t('settings.numbers')} intro={t('numbers.intro')}>
      {editing === 'new' ? (
        <NumberForm onDone={() => setEditing(undefined)} />
      ) : (
        <button type="button" className="button-primary button-inline" onClick={() => setEditing('new')}>
          {t('numbers.connectNew')}
        </button>
      )}
      {remove.isError ? <FormAlert>{describeError(remove.error, t, locale)}</FormAlert> : null}
      {numbers.isPending ? (
        <Skeleton />
      ) : numbers.isError ? (
        <QueryError error={numbers.error} onRetry={() => void numbers.refetch()} />
      ) : numbers.data.length === 0 ? (
        <p className="muted">{t('numbers.empty')}</p>
      ) : (
        <ul className="settings-cards">
          {numbers.data.map((n) => (
            <li
              key={n.id}
              className={`settings-card ${n.status === 'needs_attention' ? 'needs-attention' : ''}`}
              data-testid="number-card"
            >
              {editing === n.id ? (
                <NumberForm number={n} onDone={() => setEditing(undefined)} />
              ) : (
                <>
                  <div className="card-header">
                    <h3>{n.purpose}</h3>
                    <span className={`chip status-${n.status}`}>
                      {n.status === 'active' ? t('numbers.statusActive') : t('numbers.statusNeedsAttention')}
                    </span>
                  </div>
                  {n.status === 'needs_attention' ? (
                    <p className="alert alert-error" role="note">
                      {n.statusReason ?? t('numbers.needsAttentionNoReason')}
                    </p>
                  ) : null}
                  <dl className="facts">
                    <dt>{t('numbers.displayPhoneNumber')}</dt>
                    <dd>{n.displayPhoneNumber}</dd>
                    <dt>{t('numbers.phoneNumberId')}</dt>
                    <dd className="mono">{n.phoneNumberId}</dd>
                    <dt>{t('numbers.defaultTeam')}</dt>
                    <dd>
                      {teams.data?.find((team) => team.id === n.defaultTeamId)?.name ?? t('actions.noTeam')}
                    </dd>
                    <dt>{t('numbers.throughput')}</dt>
                    <dd>{t('numbers.mps', { count: n.throughputMps })}</dd>
                    <dt>{t('numbers.businessHours')}</dt>
                    <dd>
                      {n.businessHours === null
                        ? t('numbers.alwaysOpen')
                        : `${n.businessHours.timeZone} · ${t('numbers.intervals', { count: n.businessHours.intervals.length })}`}
                    </dd>
                    <dt>{t('numbers.webhookUrl')}</dt>
                    <dd className="mono">{n.webhookUrl}</dd>
                  </dl>
                  <div className="form-actions">
                    <button type="button" className="button-secondary" onClick={() => setEditing(n.id)}>
                      {t('common.edit')}
                    </button>
                    <ConfirmButton
                      label={t('numbers.disconnect')}
                      confirmLabel={t('numbers.confirmDisconnect', { purpose: n.purpose })}
                      onConfirm={() => remove.mutate(n.id)}
                    />
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </SettingsSection>
  );
}
