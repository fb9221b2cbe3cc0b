import { useState, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { hasErrorCode } from '../../../lib/api/problem';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFormFeedback } from '../../../lib/useFormFeedback';
import { PASSWORD_MIN_LENGTH } from '../../../lib/validation';
import { useConfirmPasswordReset } from '../hooks/useAuthMutations';
import { validateResetPassword } from '../validation';

/** Sets a new password from the emailed link (`?token=`). */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const confirmReset = useConfirmPasswordReset();
  const feedback = useFormFeedback();
  const [password, setPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');
  const [linkInvalid, setLinkInvalid] = useState(token === '');
  const title = <title>{`${t('reset.title')} · ${t('app.name')}`}</title>;

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!feedback.acceptValidation(validateResetPassword({ password, confirmPassword }, t))) return;
    confirmReset.mutate(
      { token, password },
      {
        onError: (error) => {
          const badToken =
            hasErrorCode(error, 'token_invalid') ||
            (hasErrorCode(error, 'validation_failed') &&
              (error.problem.errors ?? []).some((issue) => issue.path === 'body.token'));
          if (badToken) setLinkInvalid(true);
          else feedback.showError(error);
        },
      },
    );
  };

  if (linkInvalid) {
    return (
      <>
        {title}
        <h1>{t('reset.title')}</h1>
        <FormAlert>
          <p>{token === '' ? t('reset.missingToken') : t('errors.resetTokenInvalid')}</p>
          <p>
            <Link to="/forgot-password">{t('reset.requestNew')}</Link>
          </p>
        </FormAlert>
      </>
    );
  }

  if (confirmReset.isSuccess) {
    return (
      <>
        {title}
        <h1>{t('reset.title')}</h1>
        <FormAlert tone="success">
          <p>{t('reset.done')}</p>
          <p>
            <Link to="/login">{t('reset.signIn')}</Link>
          </p>
        </FormAlert>
      </>
    );
  }

  return (
    <>
      {title}
      <h1>{t('reset.title')}</h1>
      <FormAlert>{feedback.alert}</FormAlert>
      <form ref={feedback.formRef} onSubmit={submit} noValidate>
        <TextField
          name="password"
          type="password"
          label={t('field.newPassword')}
          value={password}
          onChange={setPassword}
          hint={t('reset.hint', { min: PASSWORD_MIN_LENGTH })}
          error={feedback.fieldErrors['password']}
          autoComplete="new-password"
          required
          autoFocus
        />
        <TextField
          name="confirmPassword"
          type="password"
          label={t('field.confirmPassword')}
          value={confirmPassword}
          onChange={setConfirmPassword}
          error={feedback.fieldErrors['confirmPassword']}
          autoComplete="new-password"
          required
        />
        <button
          type="submit"
          className="button-primary"
          disabled={confirmReset.isPending || feedback.coolingDown}
        >
          {t('reset.submit')}
        </button>
      </form>
    </>
  );
}
