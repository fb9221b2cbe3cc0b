import { describe, expect, it } from 'vitest';
import { autoRepliesFor, isOpenAt, localWeekTime } from './auto-replies.ts';

const weekdays9to18 = {
  timeZone: 'America/Sao_Paulo',
  intervals: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '18:00' })),
};
const all = {
  greetingMessage: 'Welcome!',
  awayMessage: 'We are closed.',
  autoReplyMessage: 'Thanks, we will answer soon.',
  businessHours: weekdays9to18,
};

describe('business hours', () => {
  it('reads the local weekday and time in the schedule time zone', () => {
    // 2026-12-07 is a Monday; 11:30 UTC is 08:30 in São Paulo (UTC-3).
    expect(localWeekTime(new Date('2026-12-07T11:30:00Z'), 'America/Sao_Paulo')).toEqual({
      day: 1,
      time: '08:30',
    });
    // 02:00 UTC on Monday is still Sunday 23:00 in São Paulo.
    expect(localWeekTime(new Date('2026-12-07T02:00:00Z'), 'America/Sao_Paulo')).toEqual({
      day: 7,
      time: '23:00',
    });
    // Asia/Kolkata is UTC+5:30: Monday 05:29 local at Sunday 23:59 UTC.
    expect(localWeekTime(new Date('2026-12-06T23:59:00Z'), 'Asia/Kolkata')).toEqual({
      day: 1,
      time: '05:29',
    });
  });

  it('is open from start (inclusive) to end (exclusive) on the listed days only', () => {
    expect(isOpenAt(weekdays9to18, new Date('2026-12-07T11:59:00Z'))).toBe(false); // Mon 08:59
    expect(isOpenAt(weekdays9to18, new Date('2026-12-07T12:00:00Z'))).toBe(true); // Mon 09:00
    expect(isOpenAt(weekdays9to18, new Date('2026-12-07T20:59:00Z'))).toBe(true); // Mon 17:59
    expect(isOpenAt(weekdays9to18, new Date('2026-12-07T21:00:00Z'))).toBe(false); // Mon 18:00
    expect(isOpenAt(weekdays9to18, new Date('2026-12-05T15:00:00Z'))).toBe(false); // Saturday noon
  });

  it('keeps a 24:00 end open until midnight, and follows daylight saving time', () => {
    const lateSunday = { timeZone: 'Europe/Berlin', intervals: [{ day: 7, start: '20:00', end: '24:00' }] };
    expect(isOpenAt(lateSunday, new Date('2026-12-06T22:59:00Z'))).toBe(true); // Sun 23:59 CET
    expect(isOpenAt(lateSunday, new Date('2026-12-06T23:00:00Z'))).toBe(false); // Mon 00:00 CET
    // 19:30 UTC is 21:30 CEST in summer (open) and 20:30 CET in winter (open); 18:30 UTC is 20:30 / 19:30.
    expect(isOpenAt(lateSunday, new Date('2026-07-05T18:30:00Z'))).toBe(true);
    expect(isOpenAt(lateSunday, new Date('2026-12-06T18:30:00Z'))).toBe(false);
  });
});

describe('automatic messages', () => {
  const open = new Date('2026-12-07T15:00:00Z'); // Monday 12:00 in São Paulo
  const closed = new Date('2026-12-05T15:00:00Z'); // Saturday

  it('greets a new client instead of the auto-reply, inside business hours', () => {
    expect(autoRepliesFor(all, { contactIsNew: true }, open)).toEqual([
      { kind: 'greeting', body: 'Welcome!' },
    ]);
  });

  it('greets a new client and says the business is away, outside business hours', () => {
    expect(autoRepliesFor(all, { contactIsNew: true }, closed).map((r) => r.kind)).toEqual([
      'greeting',
      'away',
    ]);
  });

  it('answers a known client with the auto-reply when open and the away message when closed', () => {
    expect(autoRepliesFor(all, { contactIsNew: false }, open)).toEqual([
      { kind: 'auto_reply', body: 'Thanks, we will answer soon.' },
    ]);
    expect(autoRepliesFor(all, { contactIsNew: false }, closed)).toEqual([
      { kind: 'away', body: 'We are closed.' },
    ]);
  });

  it('treats a number without hours as always open, and sends nothing that is not set', () => {
    const noHours = { ...all, businessHours: null };
    expect(autoRepliesFor(noHours, { contactIsNew: false }, closed).map((r) => r.kind)).toEqual([
      'auto_reply',
    ]);
    const nothing = {
      greetingMessage: null,
      awayMessage: null,
      autoReplyMessage: null,
      businessHours: weekdays9to18,
    };
    expect(autoRepliesFor(nothing, { contactIsNew: true }, closed)).toEqual([]);
    // A new client inside hours with no greeting set gets the auto-reply.
    expect(
      autoRepliesFor({ ...all, greetingMessage: null }, { contactIsNew: true }, open).map((r) => r.kind),
    ).toEqual(['auto_reply']);
  });
});
