import { describe, expect, it } from 'vitest';
import { maskSecrets } from './audit.service.ts';

describe('maskSecrets', () => {
  it('masks secret-looking keys at any depth, including inside arrays', () => {
    const input = {
      email: 'a@example.test',
      password: 'hunter2',
      newPassword: 'hunter3',
      nested: { token: 't', apiKey: 'sbk_x', deeper: { clientSecret: 's', tokenHash: 'h', name: 'keep' } },
      list: [{ recoveryCodes: ['a', 'b'], role: 'admin' }, 'plain'],
      totpCode: '123456',
      otp: '654321',
      Authorization: 'Bearer sbk_y',
      cookie: 'sb_session=z',
      passwordHash: '$argon2id$...',
    };
    expect(maskSecrets(input)).toEqual({
      email: 'a@example.test',
      password: '***',
      newPassword: '***',
      nested: {
        token: '***',
        apiKey: '***',
        deeper: { clientSecret: '***', tokenHash: '***', name: 'keep' },
      },
      list: [{ recoveryCodes: '***', role: 'admin' }, 'plain'],
      totpCode: '***',
      otp: '***',
      Authorization: '***',
      cookie: '***',
      passwordHash: '***',
    });
  });

  it('masks a whole object or array held under a secret key', () => {
    expect(maskSecrets({ secret: { value: 'v' }, tokens: ['a'] })).toEqual({ secret: '***', tokens: '***' });
  });

  it('leaves ordinary values alone, keeps null secrets null and renders dates as ISO strings', () => {
    const at = new Date('2026-02-03T04:05:06.789Z');
    expect(
      maskSecrets({
        role: 'agent',
        permissions: ['users.read'],
        count: 3,
        ok: true,
        token: null,
        expiresAt: at,
        scopes: ['audit.read'],
      }),
    ).toEqual({
      role: 'agent',
      permissions: ['users.read'],
      count: 3,
      ok: true,
      token: null,
      expiresAt: '2026-02-03T04:05:06.789Z',
      scopes: ['audit.read'],
    });
    expect(maskSecrets('password')).toBe('password');
    expect(maskSecrets(null)).toBeNull();
    expect(maskSecrets([at])).toEqual(['2026-02-03T04:05:06.789Z']);
  });

  it('does not modify its input', () => {
    const input = { password: 'p', nested: { token: 't' } };
    maskSecrets(input);
    expect(input).toEqual({ password: 'p', nested: { token: 't' } });
  });
});
