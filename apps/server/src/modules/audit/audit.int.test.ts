import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { systemActor } from '../../platform/auth/principal.ts';
import { hashToken } from '../../platform/security/tokens.ts';
import { currentTotp } from '../auth/two-factor.ts';
import {
  addUser,
  anonymous,
  createTenant,
  createTestApp,
  engine,
  loopbackIp,
  PASSWORD,
  signIn,
  uniqueEmail,
  withApiKey,
} from '../../../test/harness.ts';
import { auditLog, invite, type AuditPage } from '../../../test/audit-support.ts';

describe(`audit log (${engine})`, () => {
  let app: SwitchboardApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app.close());

  const one = (page: AuditPage, action: string) => {
    const found = page.items.filter((e) => e.action === action);
    expect(found, action).toHaveLength(1);
    return found[0]!;
  };

  it('records logins, failed logins, invitations, API keys and role changes with actor, IP and before/after', async () => {
    const tenant = await createTenant(app);
    const attackerIp = loopbackIp();
    const failed = await anonymous(app, attackerIp).request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: tenant.ownerEmail, password: 'wrong password' },
    });
    expect(failed.statusCode).toBe(401);
    const invitation = await invite(tenant);
    const keyRes = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'CRM sync', scopes: ['users.read'] },
    });
    expect(keyRes.statusCode).toBe(201);
    const key = keyRes.json<{ id: string; key: string }>();
    const agent = await addUser(app, tenant, 'agent');
    const patch = await tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/users/${agent.id}`,
      payload: { role: 'admin' },
    });
    expect(patch.statusCode).toBe(200);

    const page = await auditLog(tenant.owner);
    const owner = { actorType: 'user', actorId: tenant.ownerId, actorLabel: tenant.ownerEmail };

    expect(one(page, 'organization.created')).toMatchObject({
      actorType: 'system',
      actorId: null,
      targetType: 'organization',
      targetId: tenant.organizationId,
      after: { plan: 'pro', ownerEmail: tenant.ownerEmail },
    });
    const logins = page.items.filter((e) => e.action === 'auth.login');
    expect(logins.map((e) => e.ip).sort()).toEqual([agent.caller.ip, tenant.owner.ip].sort());
    expect(logins.find((e) => e.ip === tenant.owner.ip)).toMatchObject({
      ...owner,
      targetType: 'session',
      after: { secondFactor: null },
    });
    expect(one(page, 'auth.login_failed')).toMatchObject({
      ...owner,
      ip: attackerIp,
      targetId: tenant.ownerId,
      after: { reason: 'bad_password' },
    });
    expect(one(page, 'user.invited')).toMatchObject({
      ...owner,
      ip: tenant.owner.ip,
      targetType: 'invitation',
      targetId: invitation.id,
      before: null,
      after: { email: invitation.email, role: 'agent' },
    });
    expect(one(page, 'api_key.created')).toMatchObject({
      ...owner,
      ip: tenant.owner.ip,
      targetType: 'api_key',
      targetId: key.id,
      after: { name: 'CRM sync', scopes: ['users.read'], expiresAt: null },
    });
    expect(one(page, 'user.created')).toMatchObject({
      actorType: 'system',
      targetId: agent.id,
      after: { email: agent.email, role: 'agent' },
    });
    expect(one(page, 'user.role_changed')).toMatchObject({
      ...owner,
      ip: tenant.owner.ip,
      targetId: agent.id,
      before: { role: 'agent' },
      after: { role: 'admin' },
    });
    for (const e of page.items) expect(Date.parse(e.occurredAt)).not.toBeNaN();

    // No secret reaches the log: not the API key, its hash, nor any password.
    const raw = (await tenant.owner.request({ method: 'GET', url: '/api/v1/audit-log?limit=200' })).body;
    expect(raw).not.toContain(key.key);
    expect(raw).not.toContain(hashToken(key.key));
    expect(raw).not.toContain(PASSWORD);
    expect(raw).not.toContain('wrong password');
  });

  it('records password, two-factor, API key and settings changes with actor, IP and before/after, secrets masked', async () => {
    const tenant = await createTenant(app);
    const owner = { actorType: 'user', actorId: tenant.ownerId, actorLabel: tenant.ownerEmail };
    const ownerTarget = { targetType: 'user', targetId: tenant.ownerId };
    const changedPassword = 'a changed password 1';
    const resetPassword = 'a reset password 2';

    // Password change (the current session stays signed in).
    const change = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: PASSWORD, newPassword: changedPassword },
    });
    expect(change.statusCode, change.body).toBe(204);

    // Two-factor on, then off with a recovery code.
    const setup = await tenant.owner.request({ method: 'POST', url: '/api/v1/me/2fa/setup' });
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json<{ secret: string }>();
    const enable = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/me/2fa/enable',
      payload: { code: currentTotp(secret, new Date()) },
    });
    expect(enable.statusCode, enable.body).toBe(200);
    const { recoveryCodes } = enable.json<{ recoveryCodes: string[] }>();
    const disable = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/me/2fa/disable',
      payload: { password: changedPassword, recoveryCode: recoveryCodes[0] },
    });
    expect(disable.statusCode, disable.body).toBe(204);

    // An API key revoked.
    const created = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'Old integration', scopes: ['users.read'] },
    });
    const key = created.json<{ id: string; key: string }>();
    const revoke = await tenant.owner.request({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}` });
    expect(revoke.statusCode).toBe(204);

    // Organization details and settings, one of them secret.
    const settings = await tenant.owner.request({
      method: 'PATCH',
      url: '/api/v1/organization',
      payload: {
        name: 'Renamed Org',
        settings: {
          timezone: 'Europe/Lisbon',
          crm: { url: 'https://crm.example.test', apiToken: 'tok_crm_789' },
        },
      },
    });
    expect(settings.statusCode, settings.body).toBe(200);

    // A password reset by email, confirmed from another address; it signs every session out.
    const requesterIp = loopbackIp();
    expect(
      (
        await anonymous(app, requesterIp).request({
          method: 'POST',
          url: '/api/v1/auth/password-reset/request',
          payload: { email: tenant.ownerEmail },
        })
      ).statusCode,
    ).toBe(202);
    const mail = (await app.services.mail.listOutbox(200)).find((m) => m.to === tenant.ownerEmail);
    const token = /token=([\w-]+)/.exec(mail?.textBody ?? '')?.[1];
    expect(token).toBeDefined();
    const confirmIp = loopbackIp();
    const confirm = await anonymous(app, confirmIp).request({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: resetPassword },
    });
    expect(confirm.statusCode, confirm.body).toBe(204);

    const reader = await signIn(app, tenant.ownerEmail, resetPassword);
    const page = await auditLog(reader, '?limit=200');

    const changed = one(page, 'auth.password_changed');
    expect(changed).toMatchObject({
      ...owner,
      ...ownerTarget,
      ip: tenant.owner.ip,
      before: { lastChangedAt: expect.any(String) },
      after: { lastChangedAt: expect.any(String), otherSessionsRevoked: 0 },
    });
    expect(Date.parse(changed.after!['lastChangedAt'] as string)).toBeGreaterThan(
      Date.parse(changed.before!['lastChangedAt'] as string),
    );
    expect(one(page, 'auth.two_factor_enabled')).toMatchObject({
      ...owner,
      ...ownerTarget,
      ip: tenant.owner.ip,
      before: { twoFactor: false },
      after: { twoFactor: true },
    });
    expect(one(page, 'auth.two_factor_disabled')).toMatchObject({
      ...owner,
      ...ownerTarget,
      ip: tenant.owner.ip,
      before: { twoFactor: true, enabledAt: expect.any(String) },
      after: { twoFactor: false, confirmedWith: 'recovery_code' },
    });
    expect(one(page, 'api_key.revoked')).toMatchObject({
      ...owner,
      ip: tenant.owner.ip,
      targetType: 'api_key',
      targetId: key.id,
      before: {
        name: 'Old integration',
        prefix: key.key.slice(0, 12),
        scopes: ['users.read'],
        revokedAt: null,
      },
      after: { revokedAt: expect.any(String) },
    });
    expect(one(page, 'organization.settings_changed')).toMatchObject({
      ...owner,
      ip: tenant.owner.ip,
      targetType: 'organization',
      targetId: tenant.organizationId,
      before: { name: `Org ${tenant.ownerEmail}`, settings: {} },
      after: {
        name: 'Renamed Org',
        settings: { timezone: 'Europe/Lisbon', crm: { url: 'https://crm.example.test', apiToken: '***' } },
      },
    });
    expect(one(page, 'auth.password_reset_requested')).toMatchObject({
      ...owner,
      ...ownerTarget,
      ip: requesterIp,
    });
    expect(one(page, 'auth.password_reset')).toMatchObject({
      ...owner,
      ...ownerTarget,
      ip: confirmIp,
      before: { lastChangedAt: changed.after!['lastChangedAt'] },
      after: { lastChangedAt: expect.any(String), sessionsRevoked: 1 },
    });

    // No secret reaches the log: passwords, reset token, TOTP secret, recovery codes, API key.
    const raw = (await reader.request({ method: 'GET', url: '/api/v1/audit-log?limit=200' })).body;
    for (const secretValue of [
      PASSWORD,
      changedPassword,
      resetPassword,
      token!,
      hashToken(token!),
      secret,
      ...recoveryCodes,
      key.key,
      hashToken(key.key),
      'tok_crm_789',
    ]) {
      expect(raw).not.toContain(secretValue);
    }
  });

  it('records the API key as the actor of what the key does', async () => {
    const tenant = await createTenant(app);
    const res = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'Provisioner', scopes: ['users.manage', 'audit.read'] },
    });
    const key = res.json<{ id: string; key: string }>();
    const api = withApiKey(app, key.key);
    const email = uniqueEmail('from-key');
    expect(
      (await api.request({ method: 'POST', url: '/api/v1/invitations', payload: { email, role: 'agent' } }))
        .statusCode,
    ).toBe(201);
    const page = await auditLog(api, '?action=user.invited');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      actorType: 'api_key',
      actorId: key.id,
      actorLabel: 'Provisioner',
      ip: api.ip,
      after: { email },
    });
  });

  it('masks secrets in before/after values, at any depth', async () => {
    const tenant = await createTenant(app);
    await app.database.tenant(tenant.organizationId, (tx) =>
      app.services.audit.record(tx, tenant.organizationId, systemActor, {
        action: 'test.secrets',
        before: { password: 'old-password-value', role: 'agent' },
        after: {
          settings: {
            webhook: { url: 'https://example.test/hook', signingSecret: 'whsec_123', accessToken: 'tok_456' },
          },
          recoveryCodes: ['aaaa-bbbb'],
        },
      }),
    );
    const page = await auditLog(tenant.owner, '?action=test.secrets');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      before: { password: '***', role: 'agent' },
      after: {
        settings: { webhook: { url: 'https://example.test/hook', signingSecret: '***', accessToken: '***' } },
        recoveryCodes: '***',
      },
    });
    const raw = JSON.stringify(page);
    for (const secret of ['old-password-value', 'whsec_123', 'tok_456', 'aaaa-bbbb'])
      expect(raw).not.toContain(secret);
  });
});
