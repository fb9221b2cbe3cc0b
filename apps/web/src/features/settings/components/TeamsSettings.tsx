import { createTeamRequestSchema, type TeamView } from '@switchboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type SyntheticEvent } from 'react';
import { CheckboxField, NumberField } from '../../../components/form/Fields';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { formatNumber } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFocusFirstInvalid } from '../../../lib/useFocusFirstInvalid';
import { issuesToFieldErrors } from '../../../lib/zodErrors';
import { directoryKeys, userName, useTeams, useUsers } from '../../directory/hooks/useDirectory';
import {
  addTeamMember,
  createTeam,
  deleteTeam,
  listTeamMembers,
  removeTeamMember,
  updateTeam,
} from '../api/settingsApi';
import { useAdminMutation } from '../hooks/useAdminMutation';
import { ConfirmButton } from './ConfirmButton';
import { SettingsSection } from './SettingsSection';

const membersKey = (teamId: string) => ['settings', 'team-members', teamId] as const;

function TeamForm({ team, onDone }: { team?: TeamView; onDone: () => void }) {
  const { t, locale } = useI18n();
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const [autoAssign, setAutoAssign] = useState(team?.autoAssign ?? false);
  const [max, setMax] = useState(
    team?.maxOpenPerAgent === null || team === undefined ? '' : String(team.maxOpenPerAgent),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useFocusFirstInvalid(errors);
  const save = useAdminMutation(
    (body: {
      name: string;
      description: string | null;
      autoAssign: boolean;
      maxOpenPerAgent: number | null;
    }) => (team === undefined ? createTeam(body) : updateTeam(team.id, body)),
    [directoryKeys.teams],
  );

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const body = {
      name,
      description: description.trim() === '' ? null : description,
      autoAssign,
      maxOpenPerAgent: max.trim() === '' ? null : Number(max),
    };
    const parsed = createTeamRequestSchema.safeParse(body);
    setErrors(parsed.success ? {} : issuesToFieldErrors(parsed.error.issues, t));
    if (parsed.success) save.mutate(body, { onSuccess: onDone });
  }

  return (
    <form ref={formRef} className="settings-form" onSubmit={submit} noValidate>
      <TextField
        name="name"
        label={t('teams.name')}
        value={name}
        onChange={setName}
        error={errors['name']}
        maxLength={100}
      />
      <TextField
        name="description"
        label={t('teams.description')}
        value={description}
        onChange={setDescription}
        error={errors['description']}
        maxLength={500}
      />
      <CheckboxField
        label={t('teams.autoAssign')}
        hint={t('teams.autoAssignHint')}
        checked={autoAssign}
        onChange={setAutoAssign}
      />
      <NumberField
        label={t('teams.maxOpen')}
        hint={t('teams.maxOpenHint')}
        value={max}
        onChange={setMax}
        min={1}
        max={1000}
        error={errors['maxOpenPerAgent']}
      />
      <div className="form-actions">
        <button type="submit" className="button-primary button-inline" disabled={save.isPending}>
          {team === undefined ? t('teams.create') : t('common.save')}
        </button>
        {team === undefined ? null : (
          <button type="button" className="button-secondary" onClick={onDone}>
            {t('common.cancel')}
          </button>
        )}
      </div>
      {save.isError ? <FormAlert>{describeError(save.error, t, locale)}</FormAlert> : null}
    </form>
  );
}

function TeamMembers({ team }: { team: TeamView }) {
  const { t, locale } = useI18n();
  const selectId = useId();
  const users = useUsers();
  const members = useQuery({
    queryKey: membersKey(team.id),
    queryFn: ({ signal }) => listTeamMembers(team.id, signal),
  });
  const invalidate = [membersKey(team.id), directoryKeys.teams];
  const add = useAdminMutation((userId: string) => addTeamMember(team.id, userId), invalidate);
  const remove = useAdminMutation((userId: string) => removeTeamMember(team.id, userId), invalidate);
  const [pick, setPick] = useState('');
  if (members.isPending) return <Skeleton lines={2} />;
  if (members.isError) return <QueryError error={members.error} onRetry={() => void members.refetch()} />;
  const inTeam = new Set(members.data.map((m) => m.userId));
  const candidates = (users.data ?? []).filter((u) => u.status === 'active' && !inTeam.has(u.id));
  const error = add.error ?? remove.error;

  return (
    <div className="team-members">
      <h4>{t('teams.members')}</h4>
      {members.data.length === 0 ? (
        <p className="muted">{t('teams.noMembers')}</p>
      ) : (
        <ul className="settings-list">
          {members.data.map((m) => (
            <li key={m.userId}>
              <span>{userName(m)}</span>
              <span className="muted small">{t(`availability.${m.availability}`)}</span>
              <button
                type="button"
                className="button-secondary"
                disabled={remove.isPending}
                onClick={() => remove.mutate(m.userId)}
              >
                {t('teams.removeMember')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-fields"
        onSubmit={(event) => {
          event.preventDefault();
          if (pick !== '') add.mutate(pick, { onSuccess: () => setPick('') });
        }}
      >
        <label htmlFor={selectId}>{t('teams.addMember')}</label>
        <select id={selectId} value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">{t('teams.pickUser')}</option>
          {candidates.map((u) => (
            <option key={u.id} value={u.id}>
              {userName(u)}
            </option>
          ))}
        </select>
        <button type="submit" className="button-secondary" disabled={pick === '' || add.isPending}>
          {t('teams.add')}
        </button>
      </form>
      {error === null ? null : <FormAlert>{describeError(error, t, locale)}</FormAlert>}
    </div>
  );
}

export function TeamsSettings() {
  const { t, locale } = useI18n();
  const teams = useTeams();
  const [editing, setEditing] = useState<string>();
  // Bumped after each creation: a fresh, empty form.
  const [created, setCreated] = useState(0);
  const remove = useAdminMutation(deleteTeam, [directoryKeys.teams]);

  return (
    <SettingsSection title={t('settings.teams')} intro={t('teams.intro')}>
      <h3>{t('teams.new')}</h3>
      <TeamForm key={created} onDone={() => setCreated((n) => n + 1)} />
      {remove.isError ? <FormAlert>{describeError(remove.error, t, locale)}</FormAlert> : null}
      {teams.isPending ? (
        <Skeleton />
      ) : teams.isError ? (
        <QueryError error={teams.error} onRetry={() => void teams.refetch()} />
      ) : teams.data.length === 0 ? (
        <p className="muted">{t('teams.empty')}</p>
      ) : (
        <ul className="settings-cards">
          {teams.data.map((team) => (
            <li key={team.id} className="settings-card">
              {editing === team.id ? (
                <TeamForm team={team} onDone={() => setEditing(undefined)} />
              ) : (
                <div className="card-header">
                  <h3>{team.name}</h3>
                  <p className="muted">
                    {t('teams.memberCount', { count: formatNumber(team.memberCount, locale) })}
                    {team.autoAssign ? ` · ${t('teams.autoAssignOn')}` : ''}
                  </p>
                  {team.description === null ? null : <p>{team.description}</p>}
                  <div className="form-actions">
                    <button type="button" className="button-secondary" onClick={() => setEditing(team.id)}>
                      {t('common.edit')}
                    </button>
                    <ConfirmButton
                      label={t('common.delete')}
                      confirmLabel={t('teams.confirmDelete', { name: team.name })}
                      onConfirm={() => remove.mutate(team.id)}
                    />
                  </div>
                </div>
              )}
              <TeamMembers team={team} />
            </li>
          ))}
        </ul>
      )}
    </SettingsSection>
  );
}
