import { useState, type SubmitEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFocusFirstInvalid } from '../../../lib/useFocusFirstInvalid';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type FieldErrors } from '../../../lib/validation';
import { passwordChangeErrors, validatePasswordChange, type PasswordField } from '../accountForm';
import { useChangePassword } from '../hooks/useAccountMutations';

/** Current, new and confirmed password; the server signs out the user's other sessions. */
export function PasswordSettings() {
  const { t, locale } = useI18n();
  const change = useChangePassword();
  const [values, setValues] = useState<Record<PasswordField, string>>({
    currentPassword: '',
    newPassword: '',
    confirmPassword: '',
  });
  const [errors, setErrors] = useState<FieldErrors<PasswordField>>({});
  const [alert, setAlert] = useState('');
  const [done, setDone] = useState(false);
  const formRef = useFocusFirstInvalid(errors);
  const set = (field: PasswordField) => (value: string) => {
    setDone(false);
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(false);
    setAlert('');
    const found = validatePasswordChange(values, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          setValues({ currentPassword: '', newPassword: '', confirmPassword: '' });
          setDone(true);
        },
        onError: (error) => {
          const refused = passwordChangeErrors(error, t);
          if (refused !== undefined) {
            setErrors(refused.fields);
            setAlert(refused.alert);
          } else {
            setAlert(describeError(error, t, locale));
          }
        },
      },
    );
  };

  return (
    <section className="account-section" aria-labelledby="password-title">
      <h2 id="password-title">{t('account.passwordTitle')}</h2>
      <p className="muted">{t('account.passwordIntro')}</p>
      <FormAlert>{alert}</FormAlert>
      <form ref={formRef} onSubmit={submit} noValidate>
        <TextField
          name="currentPassword"
          type="password"
          label={t('account.currentPassword')}
          value={values.currentPassword}
          onChange={set('currentPassword')}
          error={errors.currentPassword}
          autoComplete="current-password"
          maxLength={PASSWORD_MAX_LENGTH}
          required
        />
        <TextField
          name="newPassword"
          type="password"
          label={t('field.newPassword')}
          value={values.newPassword}
          onChange={set('newPassword')}
          hint={t('reset.hint', { min: PASSWORD_MIN_LENGTH })}
          error={errors.newPassword}
          autoComplete="new-password"
          maxLength={PASSWORD_MAX_LENGTH}
          required
        />
        <TextField
          name="confirmPassword"
          type="password"
          label={t('field.confirmPassword')}
          value={values.confirmPassword}
          onChange={set('confirmPassword')}
          error={errors.confirmPassword}
          autoComplete="new-password"
          maxLength={PASSWORD_MAX_LENGTH}
          required
        />
        <button type="submit" className="button-primary button-inline" disabled={change.isPending}>
          {t('account.passwordSubmit')}
        </button>
      </form>
      <FormAlert tone="success">{done ? t('account.passwordChanged') : null}</FormAlert>
    </section>
  );
}
