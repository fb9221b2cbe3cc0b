import { useState, type SubmitEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { hasErrorCode } from '../../../lib/api/problem';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFormFeedback } from '../../../lib/useFormFeedback';
import type { SignedIn } from '../api/authApi';
import { useLogin } from '../hooks/useAuthMutations';
import { normalizeTotpCode, validateSecondFactor, type SecondFactorMode } from '../validation';

export interface TwoFactorFormProps {
  credentials: { email: string; password: string };
  onSignedIn: (signedIn: SignedIn) => void;
  /** Back to the first step; with the error that sent us back, if any (e.g. the password changed). */
  onBack: (reason?: unknown) => void;
}

/** Second login step: resubmits the same credentials with a TOTP code or a recovery code. */
export function TwoFactorForm({ credentials, onSignedIn, onBack }: TwoFactorFormProps) {
  const { t } = useI18n();
  const loginMutation = useLogin();
  const feedback = useFormFeedback();
  const [mode, setMode] = useState<SecondFactorMode>('totp');
  const [code, setCode] = useState('');

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!feedback.acceptValidation(validateSecondFactor(mode, code, t))) return;
    const secondFactor =
      mode === 'totp' ? { totpCode: normalizeTotpCode(code) } : { recoveryCode: code.trim() };
    loginMutation.mutate(
      { ...credentials, ...secondFactor },
      {
        onSuccess: onSignedIn,
        onError: (error) => {
          if (hasErrorCode(error, 'invalid_credentials')) {
            onBack(error);
            return;
          }
          setCode('');
          // A second `two_factor_required` means the code was missing or unusable: same message.
          feedback.showError(error, { two_factor_required: 'errors.invalidTwoFactorCode' });
        },
      },
    );
  };

  const switchMode = () => {
    setMode(mode === 'totp' ? 'recovery' : 'totp');
    setCode('');
    feedback.clear();
  };

  return (
    <>
      <title>{`${t('login.twoFactorTitle')} · ${t('app.name')}`}</title>
      <h1>{t('login.twoFactorTitle')}</h1>
      <p>{mode === 'totp' ? t('login.totpIntro') : t('login.recoveryIntro')}</p>
      <FormAlert>{feedback.alert}</FormAlert>
      <form ref={feedback.formRef} onSubmit={submit} noValidate>
        {mode === 'totp' ? (
          <TextField
            key="totp"
            name="totpCode"
            label={t('field.totpCode')}
            value={code}
            onChange={setCode}
            error={feedback.fieldErrors['totpCode']}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={9}
            required
            autoFocus
          />
        ) : (
          <TextField
            key="recovery"
            name="recoveryCode"
            label={t('field.recoveryCode')}
            value={code}
            onChange={setCode}
            error={feedback.fieldErrors['recoveryCode']}
            autoComplete="off"
            maxLength={20}
            required
            autoFocus
          />
        )}
        <button
          type="submit"
          className="button-primary"
          disabled={loginMutation.isPending || feedback.coolingDown}
        >
          {t('login.verify')}
        </button>
      </form>
      <div className="auth-links">
        <button type="button" className="button-link" onClick={switchMode}>
          {mode === 'totp' ? t('login.useRecovery') : t('login.useTotp')}
        </button>
        <button type="button" className="button-link" onClick={() => onBack()}>
          {t('login.back')}
        </button>
      </div>
    </>
  );
}
