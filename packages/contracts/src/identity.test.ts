import { describe, expect, it } from 'vitest';
import { emailSchema, loginRequestSchema, passwordSchema } from './identity.ts';

describe('identity contracts', () => {
  it('trims and lower-cases emails, and refuses what is not one', () => {
    expect(emailSchema.parse('  Ana.Souza@Example.COM ')).toBe('ana.souza@example.com');
    expect(emailSchema.safeParse('ana@').success).toBe(false);
    expect(emailSchema.safeParse(`${'a'.repeat(250)}@x.io`).success).toBe(false);
  });

  it('requires passwords of 10 to 200 characters', () => {
    expect(passwordSchema.safeParse('short').success).toBe(false);
    expect(passwordSchema.safeParse('long enough').success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(201)).success).toBe(false);
  });

  it('refuses unknown login fields and malformed codes, reporting each', () => {
    const result = loginRequestSchema.safeParse({
      email: 'a@b.co',
      password: 'p',
      totpCode: '12ab',
      admin: true,
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.') || i.code);
    expect(paths).toEqual(expect.arrayContaining(['totpCode', 'unrecognized_keys']));
  });
});
