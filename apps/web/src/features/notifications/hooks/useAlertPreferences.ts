import { useCallback, useSyncExternalStore } from 'react';
import { readAlertPreferences, saveAlertPreferences, type AlertPreferences } from '../preferences';

// One store for the page, so the toggles and the alerts agree at once; another tab's change
// arrives through the `storage` event.
const storage = () => (typeof window === 'undefined' ? undefined : window.localStorage);
let current = readAlertPreferences(storage());
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = () => {
    current = readAlertPreferences(storage());
    listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useAlertPreferences(): [AlertPreferences, (patch: Partial<AlertPreferences>) => void] {
  const preferences = useSyncExternalStore(subscribe, () => current);
  const update = useCallback((patch: Partial<AlertPreferences>) => {
    current = { ...current, ...patch };
    saveAlertPreferences(storage(), current);
    for (const listener of listeners) listener();
  }, []);
  return [preferences, update];
}

export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof window !== 'undefined' && 'Notification' in window ? Notification.permission : 'unsupported';
}
