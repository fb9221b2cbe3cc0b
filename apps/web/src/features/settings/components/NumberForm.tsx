import {
  connectNumberRequestSchema,
  DEFAULT_GRAPH_BASE_URL,
  updateNumberRequestSchema,
  type WhatsappNumberView,
} from '@switchboard/contracts';
import { useState, type SyntheticEvent } from 'react';
import { CheckboxField, NumberField, SelectField, TextAreaField } from '../../../components/form/Fields';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { hasErrorCode, readFieldErrors } from '../../../lib/api/problem';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFocusFirstInvalid } from '../../../lib/useFocusFirstInvalid';
import { issuesToFieldErrors } from '../../../lib/zodErrors';
import { directoryKeys, useTeams } from '../../directory/hooks/useDirectory';
import { connectNumber, updateNumber } from '../api/settingsApi';
import { useAdminMutation } from '../hooks/useAdminMutation';
import {
  buildConnectRequest,
  buildUpdateRequest,
  emptyNumberForm,
  numberFormFrom,
  type NumberFormState,
} from '../numberForm';
import { BusinessHoursEditor } from './BusinessHoursEditor';

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Connect a number (every field the API takes) or edit one (only what changed is sent). */
export function NumberForm({ number, onDone }: { number?: WhatsappNumberView; onDone: () => void }) {
  const { t, locale } = useI18n();
  const teams = useTeams();
  const editing = number !== undefined;
  const [s, setState] = useState<NumberFormState>(() =>
    editing ? numberFormFrom(number, browserTimeZone()) : emptyNumberForm(browserTimeZone()),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useFocusFirstInvalid(errors);
  const save = useAdminMutation(
    (body: unknown) =>
      number === undefined ? connectNumber(body as never) : updateNumber(number.id, body as never),
    [directoryKeys.numbers],
  );
  const set = (patch: Partial<NumberFormState>) => setState((current) => ({ ...current, ...patch }));
  type TextKey = {
    [K in keyof NumberFormState]: NumberFormState[K] extends string ? K : never;
  }[keyof NumberFormState];
  const field = (key: TextKey) => ({
    value: s[key],
    onChange: (v: string) => set({ [key]: v }),
    error: errors[key],
  });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const body = number === undefined ? buildConnectRequest(s) : buildUpdateRequest(s, number);
    const parsed =
      number === undefined
        ? connectNumberRequestSchema.safeParse(body)
        : updateNumberRequestSchema.safeParse(body);
    setErrors(parsed.success ? {} : issuesToFieldErrors(parsed.error.issues, t));
    if (!parsed.success) return;
    if (editing && Object.keys(body).length === 0) {
      onDone();
      return;
    }
    save.mutate(body, {
      onSuccess: onDone,
      onError: (error) => {
        if (hasErrorCode(error, 'validation_failed')) setErrors(readFieldErrors(error.problem));
      },
    });
  }

  const secretHint = editing ? t('numbers.secretKeep') : undefined;
  return (
    <form ref={formRef} className="settings-form number-form" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{t('numbers.identity')}</legend>
        {editing ? null : (
          <>
            <TextField
              name="phoneNumberId"
              label={t('numbers.phoneNumberId')}
              hint={t('numbers.metaIdHint')}
              inputMode="numeric"
              {...field('phoneNumberId')}
            />
            <TextField
              name="wabaId"
              label={t('numbers.wabaId')}
              hint={t('numbers.metaIdHint')}
              inputMode="numeric"
              {...field('wabaId')}
            />
          </>
        )}
        <TextField
          name="displayPhoneNumber"
          label={t('numbers.displayPhoneNumber')}
          {...field('displayPhoneNumber')}
          maxLength={32}
        />
        <TextField
          name="purpose"
          label={t('numbers.purpose')}
          hint={t('numbers.purposeHint')}
          {...field('purpose')}
          maxLength={100}
        />
        {editing ? (
          <SelectField
            label={t('numbers.defaultTeam')}
            hint={t('numbers.defaultTeamHint')}
            value={s.defaultTeamId}
            onChange={(v) => set({ defaultTeamId: v })}
            options={[
              { value: '', label: t('actions.noTeam') },
              ...(teams.data ?? []).map((team) => ({ value: team.id, label: team.name })),
            ]}
            error={errors['defaultTeamId']}
          />
        ) : null}
      </fieldset>
      <fieldset>
        <legend>{t('numbers.credentials')}</legend>
        <TextField
          name="accessToken"
          type="password"
          autoComplete="off"
          label={t('numbers.accessToken')}
          hint={secretHint}
          {...field('accessToken')}
        />
        <TextField
          name="appSecret"
          type="password"
          autoComplete="off"
          label={t('numbers.appSecret')}
          hint={secretHint}
          {...field('appSecret')}
        />
        <TextField
          name="verifyToken"
          type="password"
          autoComplete="off"
          label={t('numbers.verifyToken')}
          hint={secretHint ?? t('numbers.verifyTokenHint')}
          {...field('verifyToken')}
        />
        <TextField
          name="graphBaseUrl"
          label={t('numbers.graphBaseUrl')}
          hint={t('numbers.graphBaseUrlHint', { url: DEFAULT_GRAPH_BASE_URL })}
          {...field('graphBaseUrl')}
          maxLength={200}
        />
      </fieldset>
      <fieldset>
        <legend>{t('numbers.automaticMessages')}</legend>
        <TextAreaField
          label={t('numbers.greeting')}
          hint={t('numbers.greetingHint')}
          {...field('greetingMessage')}
          maxLength={4096}
        />
        <TextAreaField
          label={t('numbers.away')}
          hint={t('numbers.awayHint')}
          {...field('awayMessage')}
          maxLength={4096}
        />
        <TextAreaField
          label={t('numbers.autoReply')}
          hint={t('numbers.autoReplyHint')}
          {...field('autoReplyMessage')}
          maxLength={4096}
        />
      </fieldset>
      <BusinessHoursEditor
        value={{ enabled: s.hoursEnabled, timeZone: s.timeZone, intervals: s.intervals }}
        onChange={(v) => set({ hoursEnabled: v.enabled, timeZone: v.timeZone, intervals: v.intervals })}
        errors={errors}
      />
      <fieldset>
        <legend>{t('numbers.delivery')}</legend>
        <NumberField
          label={t('numbers.throughput')}
          hint={t('numbers.throughputHint')}
          min={1}
          max={1000}
          {...field('throughputMps')}
        />
        <CheckboxField
          label={t('numbers.readReceipts')}
          hint={t('numbers.readReceiptsHint')}
          checked={s.sendReadReceipts}
          onChange={(v) => set({ sendReadReceipts: v })}
        />
      </fieldset>
      {Object.keys(errors).length > 0 ? <FormAlert>{t('errors.validation')}</FormAlert> : null}
      {save.isError && !hasErrorCode(save.error, 'validation_failed') ? (
        <FormAlert>{describeError(save.error, t, locale)}</FormAlert>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button-primary button-inline" disabled={save.isPending}>
          {editing ? t('common.save') : t('numbers.connect')}
        </button>
        <button type="button" className="button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
