// The user's alert preferences on this browser, kept in localStorage: whether desktop
// notifications are shown (once the browser allows them) and whether new messages make a sound.

export interface AlertPreferences {
  desktop: boolean;
  sound: boolean;
}

const KEY = 'switchboard.alerts';
export const defaultAlertPreferences: AlertPreferences = { desktop: true, sound: false };

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export function readAlertPreferences(storage: StorageLike | undefined): AlertPreferences {
  try {
    const raw: unknown = JSON.parse(storage?.getItem(KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return defaultAlertPreferences;
    const saved = raw as Record<string, unknown>;
    return {
      desktop: typeof saved['desktop'] === 'boolean' ? saved['desktop'] : defaultAlertPreferences.desktop,
      sound: typeof saved['sound'] === 'boolean' ? saved['sound'] : defaultAlertPreferences.sound,
    };
  } catch {
    // Unreadable (privacy mode, a hand-edited value): the defaults.
    return defaultAlertPreferences;
  }
}

export function saveAlertPreferences(storage: StorageLike | undefined, preferences: AlertPreferences): void {
  try {
    storage?.setItem(KEY, JSON.stringify(preferences));
  } catch {
    // Not persisted; the choice still applies to this page view.
  }
}
