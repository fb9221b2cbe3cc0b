import { useMutation, useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useState, type SubmitEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useFormFeedback } from '../../../lib/useFormFeedback';
import { checkRequired, compactErrors } from '../../../lib/validation';
import {
  beginTwoFactorSetup,
  disableTwoFactor,
  enableTwoFactor,
  type TwoFactorSetup,
} from '../api/twoFactorApi';
import { useSession, meQueryKey } from '../hooks/useMe';
import { groupSecret, recoveryCodesText } from '../twoFactor';
import { normalizeTotpCode, validateSecondFactor, type SecondFactorMode } from '../validation';
import '../../../styles/account.css';

/** The account's two-step verification: set it up with an authenticator app, or turn it off. */
export function TwoFactorSettings() {
  const { t } = useI18n();
  const { user } = useSession();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();

  return (
    <section className="account-section" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">{t('twoFactor.title')}</h2>
      {recoveryCodes !== undefined ? (
        <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(undefined)} />
      ) : user.twoFactorEnabled ? (
        <DisableTwoFactor />
      ) : (
        <SetUpTwoFactor onEnabled={setRecoveryCodes} />
      )}
    </section>
  );
}

function useRefreshSession() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: meQueryKey });
}

function SetUpTwoFactor({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const { t } = useI18n();
  const refreshSession = useRefreshSession();
  const [setup, setSetup] = useState<TwoFactorSetup>();
  const [code, setCode] = useState('');
  const start = useMutation({ mutationFn: beginTwoFactorSetup, onSuccess: setSetup });
  const enable = useMutation({ mutationFn: enableTwoFactor });
  const startFeedback = useFormFeedback();
  const feedback = useFormFeedback();

  if (setup === undefined) {
    return (
      <>
        <p className="muted" data-testid="two-factor-state">
          {t('twoFactor.off')}
        </p>
        <p>{t('twoFactor.intro')}</p>
        <FormAlert>{startFeedback.alert}</FormAlert>
        <button
          type="button"
          className="button-primary button-inline"
          disabled={start.isPending}
          onClick={() => start.mutate(undefined, { onError: (error) => startFeedback.showError(error) })}
        >
          {t('twoFactor.setUp')}
        </button>
      </>
    );
  }

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!feedback.acceptValidation(validateSecondFactor('totp', code, t))) return;
    enable.mutate(normalizeTotpCode(code), {
      onSuccess: ({ recoveryCodes }) => {
        onEnabled(recoveryCodes);
        void refreshSession();
      },
      onError: (error) => {
        setCode('');
        feedback.showError(error, { conflict: 'twoFactor.setupExpired' });
      },
    });
  };

  return (
    <>
      <ol className="steps">
        <li>
          <p>{t('twoFactor.scan')}</p>
          <div className="qr-code" role="img" aria-label={t('twoFactor.qrLabel')}>
            <QRCodeSVG value={setup.otpauthUri} size={192} marginSize={2} aria-hidden="true" />
          </div>
          <details>
            <summary>{t('twoFactor.cantScan')}</summary>
            <p>{t('twoFactor.enterKey')}</p>
            <p className="mono" data-testid="two-factor-secret">
              {groupSecret(setup.secret)}
            </p>
            <p className="muted">{t('twoFactor.uriLabel')}</p>
            <p className="mono break-all">{setup.otpauthUri}</p>
          </details>
        </li>
        <li>
          <p>{t('twoFactor.confirmIntro')}</p>
          <FormAlert>{feedback.alert}</FormAlert>
          <form ref={feedback.formRef} onSubmit={submit} noValidate className="settings-form">
            <TextField
              name="totpCode"
              label={t('field.totpCode')}
              value={code}
              onChange={setCode}
              error={feedback.fieldErrors['totpCode'] ?? feedback.fieldErrors['code']}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={9}
              required
            />
            <div className="form-actions">
              <button
                type="submit"
                className="button-primary button-inline"
                disabled={enable.isPending || feedback.coolingDown}
              >
                {t('twoFactor.turnOn')}
              </button>
              <button type="button" className="button-secondary" onClick={() => setSetup(undefined)}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        </li>
      </ol>
    </>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useI18n();
  const text = recoveryCodesText(codes, t('twoFactor.recoveryFileHeading'));
  return (
    <div>
      <FormAlert tone="success">{t('twoFactor.enabled')}</FormAlert>
      <p>
        <strong>{t('twoFactor.recoveryIntro')}</strong>
      </p>
      <ul className="recovery-codes mono" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="form-actions">
        <a
          className="button-secondary"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="switchboard-recovery-codes.txt"
        >
          {t('twoFactor.download')}
        </a>
        <button type="button" className="button-primary button-inline" onClick={onDone}>
          {t('twoFactor.savedCodes')}
        </button>
      </div>
    </div>
  );
}

function DisableTwoFactor() {
  const { t } = useI18n();
  const refreshSession = useRefreshSession();
  const [password, setPassword] = useState('');
  const [mode, setMode] = useState<SecondFactorMode>('totp');
  const [code, setCode] = useState('');
  const disable = useMutation({ mutationFn: disableTwoFactor });
  const feedback = useFormFeedback();

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors = {
      ...compactErrors({ password: checkRequired(password, t) }),
      ...validateSecondFactor(mode, code, t),
    };
    if (!feedback.acceptValidation(errors)) return;
    disable.mutate(
      mode === 'totp'
        ? { password, totpCode: normalizeTotpCode(code) }
        : { password, recoveryCode: code.trim() },
      {
        onSuccess: () => void refreshSession(),
        onError: (error) => {
          setCode('');
          feedback.showError(error);
        },
      },
    );
  };

  return (
    <>
      <p data-testid="two-factor-state">
        <span className="chip status-active">{t('twoFactor.on')}</span>
      </p>
      <p>{t('twoFactor.disableIntro')}</p>
      <FormAlert>{feedback.alert}</FormAlert>
      <form ref={feedback.formRef} onSubmit={submit} noValidate className="settings-form">
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
          />
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="button-danger"
            disabled={disable.isPending || feedback.coolingDown}
          >
            {t('twoFactor.turnOff')}
          </button>
          <button
            type="button"
            className="button-link"
            onClick={() => {
              setMode(mode === 'totp' ? 'recovery' : 'totp');
              setCode('');
              feedback.clear();
            }}
          >
            {mode === 'totp' ? t('login.useRecovery') : t('login.useTotp')}
          </button>
        </div>
      </form>
    </>
  );
}
