import { roles, type UserView } from '@switchboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type SyntheticEvent } from 'react';
import { SelectField } from '../../../components/form/Fields';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { formatDateTime } from '../../../lib/i18n/translate';
import { useI18n } from '../../../lib/i18n/useI18n';
import { checkEmail } from '../../../lib/validation';
import { useSession } from '../../auth/hooks/useMe';
import { directoryKeys, userName, useUsers } from '../../directory/hooks/useDirectory';
import { roleLabels } from '../../shell/UserMenu';
import { inviteUser, listInvitations, revokeInvitation, setUserActive, updateUser } from '../api/settingsApi';
import { useAdminMutation } from '../hooks/useAdminMutation';
import { ConfirmButton } from './ConfirmButton';
import { SettingsSection } from './SettingsSection';

const invitationsKey = ['settings', 'invitations'] as const;
type Role = UserView['role'];

function InviteForm() {
  const { t, locale } = useI18n();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [error, setError] = useState<string>();
  const [sent, setSent] = useState('');
  const invite = useAdminMutation(inviteUser, [invitationsKey]);
  const roleOptions = roles.map((r) => ({ value: r, label: t(roleLabels[r] ?? 'role.agent') }));

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const problem = checkEmail(email, t);
    setError(problem);
    setSent('');
    if (problem !== undefined) return;
    invite.mutate(
      { email: email.trim(), role },
      {
        onSuccess: (created) => {
          setSent(t('members.invited', { email: created.email }));
          setEmail('');
        },
      },
    );
  }

  return (
    <form className="settings-form inline-fields" onSubmit={submit} noValidate>
      <TextField
        name="email"
        type="email"
        label={t('field.email')}
        value={email}
        onChange={setEmail}
        error={error}
      />
      <SelectField
        label={t('members.role')}
        value={role}
        onChange={(v) => setRole(v as Role)}
        options={roleOptions}
      />
      <button type="submit" className="button-primary button-inline" disabled={invite.isPending}>
        {t('members.invite')}
      </button>
      <FormAlert tone="success">{sent}</FormAlert>
      {invite.isError ? <FormAlert>{describeError(invite.error, t, locale)}</FormAlert> : null}
    </form>
  );
}

function MemberRow({ member, self }: { member: UserView; self: boolean }) {
  const { t, locale } = useI18n();
  const roleId = useId();
  const update = useAdminMutation((role: Role) => updateUser(member.id, { role }), [directoryKeys.users]);
  const toggle = useAdminMutation(
    (active: boolean) => setUserActive(member.id, active),
    [directoryKeys.users],
  );
  const error = update.error ?? toggle.error;
  return (
    <tr>
      <th scope="row">
        {userName(member)}
        <span className="muted small"> {member.email}</span>
        {error === null ? null : <FormAlert>{describeError(error, t, locale)}</FormAlert>}
      </th>
      <td>
        <label htmlFor={roleId} className="visually-hidden">
          {t('members.roleOf', { name: userName(member) })}
        </label>
        <select
          id={roleId}
          value={member.role}
          disabled={self || update.isPending}
          onChange={(e) => update.mutate(e.target.value as Role)}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(roleLabels[r] ?? 'role.agent')}
            </option>
          ))}
        </select>
      </td>
      <td>{member.status === 'active' ? t('members.active') : t('members.deactivated')}</td>
      <td>{member.lastLoginAt === null ? t('apiKeys.never') : formatDateTime(member.lastLoginAt, locale)}</td>
      <td>
        {self ? (
          <span className="muted">{t('members.you')}</span>
        ) : member.status === 'active' ? (
          <ConfirmButton
            label={t('members.deactivate')}
            confirmLabel={t('members.confirmDeactivate', { name: userName(member) })}
            onConfirm={() => toggle.mutate(false)}
          />
        ) : (
          <button
            type="button"
            className="button-secondary"
            onClick={() => toggle.mutate(true)}
            disabled={toggle.isPending}
          >
            {t('members.reactivate')}
          </button>
        )}
      </td>
    </tr>
  );
}

export function MembersSettings() {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const users = useUsers();
  const invitations = useQuery({
    queryKey: invitationsKey,
    queryFn: ({ signal }) => listInvitations(signal),
  });
  const revoke = useAdminMutation(revokeInvitation, [invitationsKey]);

  return (
    <SettingsSection title={t('settings.members')} intro={t('members.intro')}>
      <h3>{t('members.inviteTitle')}</h3>
      <InviteForm />
      {users.isPending ? (
        <Skeleton />
      ) : users.isError ? (
        <QueryError error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <div className="table-wrap">
          <table className="sessions-table">
            <thead>
              <tr>
                <th scope="col">{t('members.member')}</th>
                <th scope="col">{t('members.role')}</th>
                <th scope="col">{t('members.status')}</th>
                <th scope="col">{t('members.lastLogin')}</th>
                <th scope="col">{t('sessions.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((member) => (
                <MemberRow key={member.id} member={member} self={member.id === user.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('members.pending')}</h3>
      {revoke.isError ? <FormAlert>{describeError(revoke.error, t, locale)}</FormAlert> : null}
      {invitations.isPending ? (
        <Skeleton lines={2} />
      ) : invitations.isError ? (
        <QueryError error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : invitations.data.length === 0 ? (
        <p className="muted">{t('members.noPending')}</p>
      ) : (
        <ul className="settings-list">
          {invitations.data.map((inv) => (
            <li key={inv.id}>
              <span>{inv.email}</span>
              <span className="muted">
                {t(roleLabels[inv.role] ?? 'role.agent')} ·{' '}
                {t('members.expires', { date: formatDateTime(inv.expiresAt, locale) })}
              </span>
              <ConfirmButton
                label={t('members.revoke')}
                confirmLabel={t('members.confirmRevoke', { email: inv.email })}
                onConfirm={() => revoke.mutate(inv.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </SettingsSection>
  );
}
