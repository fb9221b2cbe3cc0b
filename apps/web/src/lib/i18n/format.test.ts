import { describe, expect, it } from 'vitest';
import { daysAgo, formatDayHeading, formatDuration, formatListTime, localDayKey } from './format';

const now = new Date(2026, 10, 20, 15, 30); // Friday 20 November 2026, local time

describe('dates', () => {
  it('groups instants by local calendar day', () => {
    expect(localDayKey(new Date(2026, 0, 5, 23, 59).toISOString())).toBe('2026-01-05');
    expect(daysAgo(new Date(2026, 10, 19, 23, 0).toISOString(), now)).toBe(1);
    expect(daysAgo(new Date(2026, 10, 20, 0, 1).toISOString(), now)).toBe(0);
  });

  it('heads days with today, yesterday or the date, in the language', () => {
    expect(formatDayHeading(new Date(2026, 10, 20, 9).toISOString(), now, 'en')).toBe('Today');
    expect(formatDayHeading(new Date(2026, 10, 19, 9).toISOString(), now, 'es')).toBe('Ayer');
    expect(formatDayHeading(new Date(2026, 10, 20, 9).toISOString(), now, 'pt-BR')).toBe('Hoje');
    expect(formatDayHeading(new Date(2026, 10, 2, 9).toISOString(), now, 'en')).toBe('Monday, November 2');
    expect(formatDayHeading(new Date(2025, 10, 2, 9).toISOString(), now, 'en')).toContain('2025');
  });

  it('shows the hour today, the weekday this week, the date before', () => {
    expect(formatListTime(new Date(2026, 10, 20, 9, 5).toISOString(), now, 'en')).toMatch(/9:05/);
    expect(formatListTime(new Date(2026, 10, 19, 9).toISOString(), now, 'en')).toBe('Yesterday');
    expect(formatListTime(new Date(2026, 10, 17, 9).toISOString(), now, 'en')).toBe('Tue');
    expect(formatListTime(new Date(2026, 9, 1, 9).toISOString(), now, 'en')).toBe('10/1/26');
    expect(formatListTime('nonsense', now, 'en')).toBe('');
  });
});

describe('formatDuration', () => {
  it('rounds up to whole minutes and shows hours when there are any', () => {
    expect(formatDuration(30_000, 'en')).toBe('1 min');
    expect(formatDuration(3_600_000, 'en')).toBe('1 hr');
    expect(formatDuration(23 * 3_600_000 + 5 * 60_000, 'en')).toBe('23 hr 5 min');
    expect(formatDuration(-5, 'en')).toBe('1 min');
  });
});
