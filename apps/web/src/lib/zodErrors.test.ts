import { connectNumberRequestSchema, createLabelRequestSchema } from '@switchboard/contracts';
import { describe, expect, it } from 'vitest';
import { createTranslator } from './i18n/translate';
import { issuesToFieldErrors } from './zodErrors';

describe('issuesToFieldErrors', () => {
  it('turns the contracts’ issues into translated messages per field', () => {
    const t = createTranslator('es');
    const result = connectNumberRequestSchema.safeParse({
      phoneNumberId: 'abc',
      wabaId: '1',
      displayPhoneNumber: '+1 555',
      accessToken: '',
      appSecret: 's',
      verifyToken: 'v',
      purpose: 'Support',
      throughputMps: 5000,
      businessHours: { timeZone: 'UTC', intervals: [{ day: 1, start: '10:00', end: '09:00' }] },
    });
    const errors = issuesToFieldErrors(result.error?.issues ?? [], t);
    expect(errors).toEqual({
      phoneNumberId: 'Este valor no es válido.',
      accessToken: 'Este campo es obligatorio.',
      throughputMps: 'Usa como máximo 1000.',
      'businessHours.intervals.0.end': 'Este valor no es válido.',
    });
  });

  it('reports a missing field as required', () => {
    const result = createLabelRequestSchema.safeParse({ name: 'VIP' });
    expect(issuesToFieldErrors(result.error?.issues ?? [], createTranslator('en'))).toEqual({
      color: 'This field is required.',
    });
  });
});
