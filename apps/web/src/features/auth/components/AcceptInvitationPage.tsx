import { useState, type SubmitEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFormFeedback } from '../../../lib/useFormFeedback';
import { NAME_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../lib/validation';
import { useAcceptInvitation } from '../hooks/useAuthMutations';
import { validateInvitation } from '../validation';

/** Creates the invited user's account (`?token=`); the server signs them in, then we go home. */
export function AcceptInvitationPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const accept = useAcceptInvitation();
  const feedback = useFormFeedback();
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!feedback.acceptValidation(validateInvitation({ firstName, lastName, password }, t))) return;
    accept.mutate(
      { token, firstName: firstName.trim(), lastName: lastName.trim(), password },
      {
        onSuccess: () => void navigate('/', { replace: true }),
        onError: (error) => feedback.showError(error, { token_invalid: 'errors.invitationInvalid' }),
      },
    );
  };

  return (
    <>
      <title>{`${t('invite.title')} · ${t('app.name')}`}</title>
      <h1>{t('invite.title')}</h1>
      {token === '' ? (
        <FormAlert>{t('invite.missingToken')}</FormAlert>
      ) : (
        <>
          <p>{t('invite.intro')}</p>
          <FormAlert>
            {feedback.fieldErrors['token'] === undefined ? feedback.alert : t('errors.invitationInvalid')}
          </FormAlert>
          <form ref={feedback.formRef} onSubmit={submit} noValidate>
            <TextField
              name="firstName"
              label={t('field.firstName')}
              value={firstName}
              onChange={setFirstName}
              error={feedback.fieldErrors['firstName']}
              autoComplete="given-name"
              maxLength={NAME_MAX_LENGTH}
              required
              autoFocus
            />
            <TextField
              name="lastName"
              label={t('field.lastName')}
              value={lastName}
              onChange={setLastName}
              error={feedback.fieldErrors['lastName']}
              autoComplete="family-name"
              maxLength={NAME_MAX_LENGTH}
              required
            />
            <TextField
              name="password"
              type="password"
              label={t('field.password')}
              value={password}
              onChange={setPassword}
              hint={t('reset.hint', { min: PASSWORD_MIN_LENGTH })}
              error={feedback.fieldErrors['password']}
              autoComplete="new-password"
              required
            />
            <button
              type="submit"
              className="button-primary"
              disabled={accept.isPending || feedback.coolingDown}
            >
              {t('invite.submit')}
            </button>
          </form>
        </>
      )}
    </>
  );
}
