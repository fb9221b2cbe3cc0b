import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { ManualClock } from '../../platform/clock.ts';
import { anonymous, createTenant, createTestApp, engine, PASSWORD, signIn } from '../../../test/harness.ts';
import { currentTotp } from './two-factor.ts';

const login = (app: SwitchboardApp, body: Record<string, unknown>, ip?: string) =>
  anonymous(app, ip).request({ method: 'POST', url: '/api/v1/auth/login', payload: body });

describe(`auth (${engine})`, () => {
  const clock = new ManualClock(new Date());
  let app: SwitchboardApp;
  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => app.close());

  it('signs in with a session cookie that is httpOnly and SameSite, and /me answers', async () => {
    const t = await createTenant(app);
    const res = await login(app, { email: t.ownerEmail.toUpperCase(), password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sb_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const body = res.json<{
      csrfToken: string;
      user: Record<string, unknown>;
      organization: { id: string };
    }>();
    expect(body.organization.id).toBe(t.organizationId);
    expect(body.user).not.toHaveProperty('passwordHash');
    const me = await app.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      cookies: { sb_session: cookie!.value },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ csrfToken: string; user: { email: string } }>()).toMatchObject({
      csrfToken: body.csrfToken,
      user: { email: t.ownerEmail },
    });
  });

  it('refuses a wrong password and an unknown email alike, and records the failure', async () => {
    const t = await createTenant(app);
    const bad = await login(app, { email: t.ownerEmail, password: 'wrong password!' });
    const unknown = await login(app, { email: 'nobody-here@example.test', password: 'wrong password!' });
    for (const res of [bad, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'invalid_credentials', status: 401 });
    }
    const audit = await t.owner.request({ method: 'GET', url: '/api/v1/audit-log?action=auth.login_failed' });
    expect(audit.json<{ items: { after: { reason: string } }[] }>().items[0]?.after.reason).toBe(
      'bad_password',
    );
  });

  it('throttles failed logins per account with 429 and Retry-After, then recovers', async () => {
    const t = await createTenant(app);
    for (let i = 0; i < 5; i++) {
      expect((await login(app, { email: t.ownerEmail, password: `wrong-${i}-password` })).statusCode).toBe(
        401,
      );
    }
    // Even the right password is refused while locked, from any address.
    const locked = await login(app, { email: t.ownerEmail, password: PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    clock.advance(16 * 60_000);
    expect((await login(app, { email: t.ownerEmail, password: PASSWORD })).statusCode).toBe(200);
  });

  it('throttles failed logins per IP across accounts', async () => {
    const ip = '127.9.9.9';
    for (let i = 0; i < 30; i++) {
      await login(app, { email: `spray-${i}@example.test`, password: 'not-the-password' }, ip);
    }
    const t = await createTenant(app);
    const res = await login(app, { email: t.ownerEmail, password: PASSWORD }, ip);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    clock.advance(16 * 60_000);
  });

  it('requires the CSRF token for cookie-authenticated writes', async () => {
    const t = await createTenant(app);
    const s = await signIn(app, t.ownerEmail);
    const without = await app.http.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      cookies: { sb_session: s.cookie },
      payload: { firstName: 'X' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ code: 'csrf_token_invalid' });
    const wrong = await app.http.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      cookies: { sb_session: s.cookie },
      headers: { 'x-csrf-token': 'forged' },
      payload: { firstName: 'X' },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await s.request({ method: 'PATCH', url: '/api/v1/me', payload: { firstName: 'Xavier' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ user: { firstName: string } }>().user.firstName).toBe('Xavier');
  });

  it('lists my sessions and revokes one; a revoked session is refused', async () => {
    const t = await createTenant(app);
    const other = await signIn(app, t.ownerEmail);
    const list = await t.owner.request({ method: 'GET', url: '/api/v1/auth/sessions' });
    const items = list.json<{ items: { id: string; current: boolean }[] }>().items;
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    const victim = items.find((s) => !s.current)!;
    expect(
      (await t.owner.request({ method: 'DELETE', url: `/api/v1/auth/sessions/${victim.id}` })).statusCode,
    ).toBe(204);
    const refused = await other.request({ method: 'GET', url: '/api/v1/me' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'unauthenticated' });
    expect(
      (await t.owner.request({ method: 'DELETE', url: `/api/v1/auth/sessions/${victim.id}` })).statusCode,
    ).toBe(404);
  });

  it('logs out: the cookie is cleared and the session no longer works', async () => {
    const t = await createTenant(app);
    const s = await signIn(app, t.ownerEmail);
    const out = await s.request({ method: 'POST', url: '/api/v1/auth/logout' });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'sb_session')?.value).toBe('');
    expect((await s.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('expires idle sessions', async () => {
    const t = await createTenant(app);
    const s = await signIn(app, t.ownerEmail);
    clock.advance(15 * 24 * 3600_000);
    expect((await s.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('resets a password by email once: the token is single-use, expires, and revokes other sessions', async () => {
    const t = await createTenant(app);
    const other = await signIn(app, t.ownerEmail);
    const req = await anonymous(app).request({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { email: t.ownerEmail },
    });
    expect(req.statusCode).toBe(202);
    const unknown = await anonymous(app).request({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { email: 'ghost@example.test' },
    });
    expect(unknown.statusCode).toBe(202);
    const mail = (await app.services.mail.listOutbox(50)).find(
      (m) => m.to === t.ownerEmail && m.subject.includes('Reset'),
    );
    const token = /token=([\w-]+)/.exec(mail?.textBody ?? '')?.[1];
    expect(token).toBeDefined();

    const confirm = (password: string) =>
      anonymous(app).request({
        method: 'POST',
        url: '/api/v1/auth/password-reset/confirm',
        payload: { token, password },
      });
    expect((await confirm('a brand new password')).statusCode).toBe(204);
    const reused = await confirm('yet another password');
    expect(reused.statusCode).toBe(410);
    expect(reused.json()).toMatchObject({ code: 'token_invalid' });
    expect((await other.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await login(app, { email: t.ownerEmail, password: PASSWORD })).statusCode).toBe(401);
    expect((await login(app, { email: t.ownerEmail, password: 'a brand new password' })).statusCode).toBe(
      200,
    );

    await anonymous(app).request({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { email: t.ownerEmail },
    });
    const second = (await app.services.mail.listOutbox(50)).find(
      (m) => m.to === t.ownerEmail && m.textBody !== mail?.textBody,
    );
    const token2 = /token=([\w-]+)/.exec(second?.textBody ?? '')?.[1];
    clock.advance(61 * 60_000);
    const expired = await anonymous(app).request({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token: token2, password: 'too late password' },
    });
    expect(expired.statusCode).toBe(410);
  });

  it('sets up TOTP two-factor with recovery codes; each code works once', async () => {
    const t = await createTenant(app);
    const setup = await t.owner.request({ method: 'POST', url: '/api/v1/me/2fa/setup' });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUri } = setup.json<{ secret: string; otpauthUri: string }>();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    const badEnable = await t.owner.request({
      method: 'POST',
      url: '/api/v1/me/2fa/enable',
      payload: { code: '000000' === currentTotp(secret, clock.now()) ? '111111' : '000000' },
    });
    expect(badEnable.statusCode).toBe(401);
    const enable = await t.owner.request({
      method: 'POST',
      url: '/api/v1/me/2fa/enable',
      payload: { code: currentTotp(secret, clock.now()) },
    });
    expect(enable.statusCode).toBe(200);
    const { recoveryCodes } = enable.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);

    const noCode = await login(app, { email: t.ownerEmail, password: PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json()).toMatchObject({ code: 'two_factor_required' });

    // The code used to enable is spent; the next step's code works once.
    clock.advance(30_000);
    const code = currentTotp(secret, clock.now());
    expect((await login(app, { email: t.ownerEmail, password: PASSWORD, totpCode: code })).statusCode).toBe(
      200,
    );
    const replay = await login(app, { email: t.ownerEmail, password: PASSWORD, totpCode: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'invalid_two_factor_code' });

    const recovery = recoveryCodes[0]!;
    expect(
      (await login(app, { email: t.ownerEmail, password: PASSWORD, recoveryCode: recovery })).statusCode,
    ).toBe(200);
    expect(
      (await login(app, { email: t.ownerEmail, password: PASSWORD, recoveryCode: recovery })).statusCode,
    ).toBe(401);

    const secretAtRest = await app.services.users.getUser(t.organizationId, t.ownerId);
    expect(secretAtRest.totpSecretEnc).toMatch(/^v1\./);
    expect(secretAtRest.totpSecretEnc).not.toContain(secret);
  });

  it('changes the password with the current one and signs out other sessions', async () => {
    const t = await createTenant(app);
    const other = await signIn(app, t.ownerEmail);
    const wrong = await t.owner.request({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: 'nope', newPassword: 'another long password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ errors: [{ path: 'body.currentPassword' }] });
    const ok = await t.owner.request({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: PASSWORD, newPassword: 'another long password' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await t.owner.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    expect((await other.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('sends at most five reset emails per address per hour, still answering 202', async () => {
    const t = await createTenant(app);
    const outbox = async () =>
      (await app.services.mail.listOutbox(200)).filter((m) => m.to === t.ownerEmail).length;
    for (let i = 0; i < 7; i++) {
      const res = await anonymous(app).request({
        method: 'POST',
        url: '/api/v1/auth/password-reset/request',
        payload: { email: t.ownerEmail },
      });
      expect(res.statusCode).toBe(202);
    }
    expect(await outbox()).toBe(5);
    clock.advance(61 * 60_000);
    await anonymous(app).request({
      method: 'POST',
      url: '/api/v1/auth/password-reset/request',
      payload: { email: t.ownerEmail },
    });
    expect(await outbox()).toBe(6);
  });
});
