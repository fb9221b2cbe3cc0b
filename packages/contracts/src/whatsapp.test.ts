import { describe, expect, it } from 'vitest';
import { businessHoursSchema, graphBaseUrlSchema, timeZoneSchema } from './whatsapp.ts';

describe('whatsapp contracts', () => {
  it('accepts IANA time zones in their canonical spelling and refuses offsets and inventions', () => {
    expect(timeZoneSchema.parse('asia/dhaka')).toBe('Asia/Dhaka');
    expect(timeZoneSchema.parse('UTC')).toBe('UTC');
    for (const bad of ['+05:00', 'Mars/Olympus_Mons', '']) {
      expect(timeZoneSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('takes intervals on ISO weekdays whose start is before their end (24:00 ends a day)', () => {
    const ok = { timeZone: 'UTC', intervals: [{ day: 7, start: '00:00', end: '24:00' }] };
    expect(businessHoursSchema.parse(ok)).toEqual(ok);
    const bad = businessHoursSchema.safeParse({
      timeZone: 'UTC',
      intervals: [
        { day: 0, start: '10:00', end: '09:59' },
        { day: 1, start: '24:00', end: '24:00' },
      ],
    });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'intervals.0.day',
      'intervals.0.end',
      'intervals.1.start',
    ]);
  });

  it('keeps only the origin of a Graph base URL and refuses one with a path', () => {
    expect(graphBaseUrlSchema.parse('https://graph.facebook.com/')).toBe('https://graph.facebook.com');
    expect(graphBaseUrlSchema.parse('http://127.0.0.1:4123')).toBe('http://127.0.0.1:4123');
    for (const bad of ['https://graph.facebook.com/v24.0', 'https://u:p@graph.facebook.com', 'file:///x']) {
      expect(graphBaseUrlSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
