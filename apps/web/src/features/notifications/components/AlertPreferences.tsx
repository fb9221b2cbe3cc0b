import { useState } from 'react';
import { CheckboxField } from '../../../components/form/Fields';
import { useI18n } from '../../../lib/i18n/useI18n';
import { desktopPermission, useAlertPreferences } from '../hooks/useAlertPreferences';
import { playChime, unlockSound } from '../sound';
import '../../../styles/account.css';

/** Desktop notifications (asked for only when the user clicks) and the new-message sound. */
export function AlertPreferences() {
  const { t } = useI18n();
  const [preferences, update] = useAlertPreferences();
  const [permission, setPermission] = useState(desktopPermission);

  const askPermission = () => {
    void Notification.requestPermission().then((answer) => {
      setPermission(answer);
      if (answer === 'granted') update({ desktop: true });
    });
  };

  return (
    <div className="alert-preferences" role="group" aria-label={t('alerts.title')}>
      {permission === 'unsupported' ? (
        <p className="muted">{t('alerts.unsupported')}</p>
      ) : permission === 'default' ? (
        <button type="button" className="button-secondary" onClick={askPermission}>
          {t('alerts.enableDesktop')}
        </button>
      ) : permission === 'denied' ? (
        <p className="muted">{t('alerts.blocked')}</p>
      ) : (
        <CheckboxField
          label={t('alerts.desktop')}
          hint={t('alerts.desktopHint')}
          checked={preferences.desktop}
          onChange={(desktop) => update({ desktop })}
        />
      )}
      <CheckboxField
        label={t('alerts.sound')}
        hint={t('alerts.soundHint')}
        checked={preferences.sound}
        onChange={(sound) => {
          update({ sound });
          if (sound) {
            unlockSound();
            playChime();
          }
        }}
      />
    </div>
  );
}
