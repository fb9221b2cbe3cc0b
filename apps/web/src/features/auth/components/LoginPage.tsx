import { useState, type SubmitEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { hasErrorCode } from '../../../lib/api/problem';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFormFeedback } from '../../../lib/useFormFeedback';
import type { SignedIn } from '../api/authApi';
import { useLogin } from '../hooks/useAuthMutations';
import { readRedirectTarget, validateLogin } from '../validation';
import { TwoFactorForm } from './TwoFactorForm';

export function LoginPage() {
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const loginMutation = useLogin();
  const feedback = useFormFeedback();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<'credentials' | 'twoFactor'>('credentials');
  const credentials = { email: email.trim(), password };

  const goToApp = (_signedIn: SignedIn) => {
    void navigate(readRedirectTarget(location.state), { replace: true });
  };

  const submitCredentials = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!feedback.acceptValidation(validateLogin({ email, password }, t))) return;
    loginMutation.mutate(credentials, {
      onSuccess: goToApp,
      onError: (error) => {
        if (hasErrorCode(error, 'two_factor_required')) {
          feedback.clear();
          setStep('twoFactor');
        } else {
          feedback.showError(error);
        }
      },
    });
  };

  if (step === 'twoFactor') {
    return (
      <TwoFactorForm
        credentials={credentials}
        onSignedIn={goToApp}
        onBack={(reason) => {
          setStep('credentials');
          setPassword('');
          if (reason === undefined) feedback.clear();
          else feedback.showError(reason);
        }}
      />
    );
  }

  return (
    <>
      <title>{`${t('login.submit')} · ${t('app.name')}`}</title>
      <h1>{t('login.title')}</h1>
      <FormAlert>{feedback.alert}</FormAlert>
      <form ref={feedback.formRef} onSubmit={submitCredentials} noValidate>
        <TextField
          name="email"
          type="email"
          label={t('field.email')}
          value={email}
          onChange={setEmail}
          error={feedback.fieldErrors['email']}
          autoComplete="username"
          required
          autoFocus
        />
        <TextField
          name="password"
          type="password"
          label={t('field.password')}
          value={password}
          onChange={setPassword}
          error={feedback.fieldErrors['password']}
          autoComplete="current-password"
          required
        />
        <button
          type="submit"
          className="button-primary"
          disabled={loginMutation.isPending || feedback.coolingDown}
        >
          {t('login.submit')}
        </button>
      </form>
      <p className="auth-links">
        <Link to="/forgot-password">{t('login.forgot')}</Link>
      </p>
    </>
  );
}
