// Dates, times, durations and numbers for the current language, through Intl only. Pure functions
// of their inputs (`now` is passed in), so they are unit-tested in every locale.
import type { Locale } from './types';

const DAY_MS = 86_400_000;

function valid(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The local calendar day of an instant, `YYYY-MM-DD`: messages are grouped by it. */
export function localDayKey(iso: string): string {
  const date = valid(iso);
  if (date === undefined) return iso;
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole local days from `iso` to `now` (0 today, 1 yesterday). */
export function daysAgo(iso: string, now: Date): number {
  const date = valid(iso);
  if (date === undefined) return Number.NaN;
  return Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
}

function capitalize(text: string, locale: Locale): string {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

/** The time in a conversation row: the hour today, the weekday this week, else the date. */
export function formatListTime(iso: string, now: Date, locale: Locale): string {
  const date = valid(iso);
  if (date === undefined) return '';
  const days = daysAgo(iso, now);
  if (days <= 0) return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date);
  if (days === 1)
    return capitalize(new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-1, 'day'), locale);
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(date);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short' }).format(date);
}

/** The heading of a day in a thread: "Today", "Yesterday", else the full date. */
export function formatDayHeading(iso: string, now: Date, locale: Locale): string {
  const date = valid(iso);
  if (date === undefined) return '';
  const days = daysAgo(iso, now);
  if (days === 0 || days === 1) {
    return capitalize(new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-days, 'day'), locale);
  }
  const sameYear = date.getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(date);
}

export function formatTime(iso: string, locale: Locale): string {
  const date = valid(iso);
  return date === undefined ? '' : new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date);
}

/** A duration as hours and minutes ("23 hr 5 min"), or minutes alone under an hour; at least 1 min. */
export function formatDuration(ms: number, locale: Locale): string {
  const totalMinutes = Math.max(1, Math.ceil(ms / 60_000));
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  const unit = (value: number, name: 'hour' | 'minute') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  if (hours === 0) return unit(minutes, 'minute');
  return minutes === 0 ? unit(hours, 'hour') : `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`;
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** `<input type="datetime-local">` value for an instant, in the browser's time zone. */
export function toDateTimeLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
