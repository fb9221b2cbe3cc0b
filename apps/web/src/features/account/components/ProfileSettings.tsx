import { useState, type SubmitEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFormFeedback } from '../../../lib/useFormFeedback';
import { NAME_MAX_LENGTH } from '../../../lib/validation';
import { useSession } from '../../auth/hooks/useMe';
import { validateProfile } from '../accountForm';
import { useUpdateProfile } from '../hooks/useAccountMutations';
import '../../../styles/account.css';

/** The user's own first and last name, as colleagues and the header show them. */
export function ProfileSettings() {
  const { t } = useI18n();
  const { user } = useSession();
  const save = useUpdateProfile();
  const feedback = useFormFeedback();
  const [firstName, setFirstName] = useState(user.firstName);
  const [lastName, setLastName] = useState(user.lastName);
  const [saved, setSaved] = useState(false);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    if (!feedback.acceptValidation(validateProfile({ firstName, lastName }, t))) return;
    save.mutate(
      { firstName: firstName.trim(), lastName: lastName.trim() },
      {
        onSuccess: (user) => {
          setFirstName(user.firstName);
          setLastName(user.lastName);
          setSaved(true);
        },
        onError: (error) => feedback.showError(error),
      },
    );
  };

  return (
    <section className="account-section" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('account.profileTitle')}</h2>
      <FormAlert>{feedback.alert}</FormAlert>
      <form ref={feedback.formRef} onSubmit={submit} noValidate>
        <TextField
          name="firstName"
          label={t('field.firstName')}
          value={firstName}
          onChange={(v) => {
            setSaved(false);
            setFirstName(v);
          }}
          error={feedback.fieldErrors['firstName']}
          autoComplete="given-name"
          maxLength={NAME_MAX_LENGTH}
          required
        />
        <TextField
          name="lastName"
          label={t('field.lastName')}
          value={lastName}
          onChange={(v) => {
            setSaved(false);
            setLastName(v);
          }}
          error={feedback.fieldErrors['lastName']}
          autoComplete="family-name"
          maxLength={NAME_MAX_LENGTH}
          required
        />
        <button
          type="submit"
          className="button-primary button-inline"
          disabled={save.isPending || feedback.coolingDown}
        >
          {t('account.profileSave')}
        </button>
      </form>
      <FormAlert tone="success">{saved ? t('account.profileSaved') : null}</FormAlert>
    </section>
  );
}
