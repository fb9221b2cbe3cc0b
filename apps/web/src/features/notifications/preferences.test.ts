import { describe, expect, it } from 'vitest';
import { defaultAlertPreferences, readAlertPreferences, saveAlertPreferences } from './preferences';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe('alert preferences', () => {
  it('starts with desktop notifications wanted and the sound off', () => {
    expect(readAlertPreferences(memoryStorage())).toEqual({ desktop: true, sound: false });
    expect(readAlertPreferences(undefined)).toEqual(defaultAlertPreferences);
  });

  it('keeps what was saved', () => {
    const storage = memoryStorage();
    saveAlertPreferences(storage, { desktop: false, sound: true });
    expect(readAlertPreferences(storage)).toEqual({ desktop: false, sound: true });
  });

  it('falls back to the defaults for anything unreadable', () => {
    expect(readAlertPreferences(memoryStorage({ 'switchboard.alerts': '{oops' }))).toEqual(
      defaultAlertPreferences,
    );
    expect(readAlertPreferences(memoryStorage({ 'switchboard.alerts': '{"sound":"yes"}' }))).toEqual(
      defaultAlertPreferences,
    );
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(readAlertPreferences(throwing)).toEqual(defaultAlertPreferences);
    expect(() => saveAlertPreferences(throwing, defaultAlertPreferences)).not.toThrow();
  });
});
