import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFormFeedback } from '../../../lib/useFormFeedback';
import { useRequestPasswordReset } from '../hooks/useAuthMutations';
import { validateForgotPassword } from '../validation';

/** Asks for a reset link. The answer never reveals whether the account exists. */
export function ForgotPasswordPage() {
  const { t } = useI18n();
  const resetRequest = useRequestPasswordReset();
  const feedback = useFormFeedback();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!feedback.acceptValidation(validateForgotPassword({ email }, t))) return;
    const address = email.trim();
    resetRequest.mutate(address, {
      onSuccess: () => setSentTo(address),
      onError: (error) => feedback.showError(error),
    });
  };

  return (
    <>
      <title>{`${t('forgot.title')} · ${t('app.name')}`}</title>
      <h1>{t('forgot.title')}</h1>
      {sentTo === null ? (
        <>
          <p>{t('forgot.intro')}</p>
          <FormAlert>{feedback.alert}</FormAlert>
          <form ref={feedback.formRef} onSubmit={submit} noValidate>
            <TextField
              name="email"
              type="email"
              label={t('field.email')}
              value={email}
              onChange={setEmail}
              error={feedback.fieldErrors['email']}
              autoComplete="email"
              required
              autoFocus
            />
            <button
              type="submit"
              className="button-primary"
              disabled={resetRequest.isPending || feedback.coolingDown}
            >
              {t('forgot.submit')}
            </button>
          </form>
        </>
      ) : (
        <FormAlert tone="success">{t('forgot.sent', { email: sentTo })}</FormAlert>
      )}
      <p className="auth-links">
        <Link to="/login">{t('forgot.backToLogin')}</Link>
      </p>
    </>
  );
}
