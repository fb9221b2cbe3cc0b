import { useId, useState } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useSession } from '../../auth/hooks/useMe';
import { availabilityOptions, isAvailability, type AvailabilityOption } from '../accountForm';
import { useUpdateProfile } from '../hooks/useAccountMutations';
import '../../../styles/account.css';

/**
 * Online / busy / offline as a radio group: saved as soon as it is chosen (arrow keys move and
 * choose, as in any radio group), with the outcome announced. Used on the account page and in
 * the user menu.
 */
export function AvailabilitySwitch({ compact = false }: { compact?: boolean }) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const save = useUpdateProfile();
  const name = useId();
  const [saved, setSaved] = useState<AvailabilityOption>();
  // The choice shows at once; it goes back to the session's value if the server refuses it.
  const [chosen, setChosen] = useState<AvailabilityOption>();
  const current = chosen ?? (isAvailability(user.availability) ? user.availability : 'offline');
  const label = (a: AvailabilityOption) => t(`availability.${a}`);

  return (
    <div className={compact ? 'availability-switch availability-compact' : 'availability-switch'}>
      <fieldset disabled={save.isPending}>
        <legend>{t('account.availabilityLabel')}</legend>
        {availabilityOptions.map((a) => (
          <label key={a} className={`availability-option availability-${a}`}>
            <input
              type="radio"
              name={name}
              value={a}
              checked={current === a}
              onChange={() => {
                setSaved(undefined);
                setChosen(a);
                save.mutate(
                  { availability: a },
                  { onSuccess: () => setSaved(a), onSettled: () => setChosen(undefined) },
                );
              }}
            />
            <span className="availability-dot" aria-hidden="true" />
            {label(a)}
          </label>
        ))}
      </fieldset>
      {save.isError ? (
        <FormAlert>
          {t('account.availabilityNotSaved', { reason: describeError(save.error, t, locale) })}
        </FormAlert>
      ) : (
        <p role="status" className={compact ? 'visually-hidden' : 'muted small'}>
          {saved === undefined || saved !== user.availability
            ? ''
            : t('account.availabilitySaved', { availability: label(saved) })}
        </p>
      )}
    </div>
  );
}

/** The account page's availability section. */
export function AvailabilitySettings() {
  const { t } = useI18n();
  return (
    <section className="account-section" aria-labelledby="availability-title">
      <h2 id="availability-title">{t('account.availabilityTitle')}</h2>
      <p className="muted">{t('account.availabilityIntro')}</p>
      <AvailabilitySwitch />
    </section>
  );
}
