import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { ManualClock } from '../../platform/clock.ts';
import { defaultPermissions, permissions as allPermissions } from '../../platform/auth/permissions.ts';
import {
  addUser,
  anonymous,
  createTenant,
  createTestApp,
  engine,
  PASSWORD,
  signIn,
  uniqueEmail,
} from '../../../test/harness.ts';

import { mailTo, problem, tokenFrom, usersKit, type UserBody } from '../../../test/users-support.ts';

const agentDefaults = defaultPermissions('agent');

describe(`users (${engine})`, () => {
  let app: SwitchboardApp;
  // Starts at the real time so the outbox (ordered by time, shared on PostgreSQL) stays sensible.
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => app.close());

  const { invite, accept, invited, getUser } = usersKit(() => app);

  describe('listing and reading', () => {
    it('lists the users of the caller’s organization, without secrets', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      const other = await createTenant(app);

      const res = await tenant.owner.request({ method: 'GET', url: '/api/v1/users' });
      expect(res.statusCode).toBe(200);
      const { items } = res.json<{ items: (UserBody & Record<string, unknown>)[] }>();
      expect(items.map((u) => u.id).sort()).toEqual([tenant.ownerId, agent.id].sort());
      expect(items.find((u) => u.id === tenant.ownerId)).toMatchObject({
        email: tenant.ownerEmail,
        role: 'owner',
        status: 'active',
      });
      expect(items.find((u) => u.id === agent.id)).toMatchObject({
        email: agent.email,
        role: 'agent',
        permissions: agentDefaults,
      });
      expect(res.body).not.toContain(other.ownerEmail);
      for (const u of items) {
        expect(Object.keys(u)).not.toEqual(expect.arrayContaining(['passwordHash']));
        expect(Object.keys(u).filter((k) => /hash|secret|totp|recovery/i.test(k))).toEqual([]);
      }
      expect(res.body).not.toMatch(/argon2/);
    });

    it('lets an agent (users.read) read the list and one user', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      const list = await agent.caller.request({ method: 'GET', url: '/api/v1/users' });
      expect(list.statusCode).toBe(200);
      expect(list.json<{ items: UserBody[] }>().items).toHaveLength(2);
      const one = await agent.caller.request({ method: 'GET', url: `/api/v1/users/${tenant.ownerId}` });
      expect(one.statusCode).toBe(200);
      expect(one.json<UserBody>()).toMatchObject({
        id: tenant.ownerId,
        email: tenant.ownerEmail,
        role: 'owner',
        permissions: [...allPermissions],
      });
    });

    it('answers 404 for an unknown user and 400 for a malformed id', async () => {
      const tenant = await createTenant(app);
      const missing = await tenant.owner.request({
        method: 'GET',
        url: '/api/v1/users/0190aaaa-0000-7000-8000-000000000000',
      });
      expect(missing.statusCode).toBe(404);
      expect(problem(missing).code).toBe('not_found');
      const bad = await tenant.owner.request({ method: 'GET', url: '/api/v1/users/not-a-uuid' });
      expect(bad.statusCode).toBe(400);
      expect(problem(bad)).toMatchObject({
        code: 'validation_failed',
        errors: [expect.objectContaining({ path: 'params.id' })],
      });
    });

    it('refuses anonymous callers', async () => {
      const res = await anonymous(app).request({ method: 'GET', url: '/api/v1/users' });
      expect(res.statusCode).toBe(401);
      expect(problem(res).code).toBe('unauthenticated');
    });
  });

  describe('roles and permissions', () => {
    it('changes a role, which changes what the user’s existing session may do, and audits it', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      const before = await agent.caller.request({ method: 'GET', url: '/api/v1/audit-log' });
      expect(before.statusCode).toBe(403);

      const res = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/users/${agent.id}`,
        payload: { role: 'admin' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<UserBody>()).toMatchObject({
        id: agent.id,
        role: 'admin',
        permissions: [...allPermissions],
      });
      expect((await agent.caller.request({ method: 'GET', url: '/api/v1/audit-log' })).statusCode).toBe(200);

      const audit = await tenant.owner.request({
        method: 'GET',
        url: '/api/v1/audit-log?action=user.role_changed',
      });
      expect(audit.statusCode).toBe(200);
      const [entry, ...rest] = audit.json<{ items: Record<string, unknown>[] }>().items;
      expect(rest).toEqual([]);
      expect(entry).toMatchObject({
        action: 'user.role_changed',
        actorType: 'user',
        actorId: tenant.ownerId,
        actorLabel: tenant.ownerEmail,
        ip: tenant.owner.ip,
        targetType: 'user',
        targetId: agent.id,
        before: { role: 'agent', permissions: agentDefaults },
        after: { role: 'admin', permissions: [...allPermissions] },
      });

      // And back down: the session loses the permission again.
      const down = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/users/${agent.id}`,
        payload: { role: 'agent' },
      });
      expect(down.json<UserBody>()).toMatchObject({
        role: 'agent',
        permissions: agentDefaults,
      });
      const denied = await agent.caller.request({ method: 'GET', url: '/api/v1/audit-log' });
      expect(denied.statusCode).toBe(403);
      expect(problem(denied).code).toBe('forbidden');
    });

    it('sets explicit permissions, audited as a role change', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      const res = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/users/${agent.id}`,
        payload: { permissions: ['users.read', 'audit.read'] },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<UserBody>()).toMatchObject({
        role: 'agent',
        permissions: ['users.read', 'audit.read'],
      });
      expect((await agent.caller.request({ method: 'GET', url: '/api/v1/audit-log' })).statusCode).toBe(200);
      const bad = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/users/${agent.id}`,
        payload: { permissions: ['root'] },
      });
      expect(bad.statusCode).toBe(400);
      expect(problem(bad).errors!.map((e) => e.path)).toEqual(['body.permissions.0']);
      const audit = await tenant.owner.request({
        method: 'GET',
        url: `/api/v1/audit-log?action=user.role_changed&targetId=${agent.id}`,
      });
      expect(audit.json<{ items: unknown[] }>().items).toHaveLength(1);
    });

    it('audits a name change as user.updated, not as a role change', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      const res = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/users/${agent.id}`,
        payload: { firstName: 'Renamed' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json<{ firstName: string; role: string }>()).toMatchObject({
        firstName: 'Renamed',
        role: 'agent',
      });
      const audit = await tenant.owner.request({
        method: 'GET',
        url: `/api/v1/audit-log?targetId=${agent.id}`,
      });
      const actions = audit.json<{ items: { action: string }[] }>().items.map((e) => e.action);
      expect(actions).toContain('user.updated');
      expect(actions).not.toContain('user.role_changed');
    });

    it('does not let an admin promote anyone to owner or change an owner; an owner can', async () => {
      const tenant = await createTenant(app);
      const admin = await addUser(app, tenant, 'admin');
      const agent = await addUser(app, tenant, 'agent');
      for (const [url, payload] of [
        [`/api/v1/users/${agent.id}`, { role: 'owner' }],
        [`/api/v1/users/${admin.id}`, { role: 'owner' }],
        [`/api/v1/users/${tenant.ownerId}`, { role: 'agent' }],
        [`/api/v1/users/${tenant.ownerId}`, { firstName: 'Mallory' }],
      ] as const) {
        const res = await admin.caller.request({ method: 'PATCH', url, payload });
        expect(res.statusCode, url).toBe(403);
        expect(problem(res).code).toBe('forbidden');
      }
      const deactivate = await admin.caller.request({
        method: 'POST',
        url: `/api/v1/users/${tenant.ownerId}/deactivate`,
      });
      expect(deactivate.statusCode).toBe(403);
      expect((await getUser(tenant, tenant.ownerId)).role).toBe('owner');
      expect((await getUser(tenant, agent.id)).role).toBe('agent');

      const promoted = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/users/${agent.id}`,
        payload: { role: 'owner' },
      });
      expect(promoted.statusCode).toBe(200);
      expect(promoted.json<UserBody>()).toMatchObject({ role: 'owner', permissions: [...allPermissions] });
      // An admin may still manage admins and agents.
      const other = await addUser(app, tenant, 'agent');
      expect(
        (
          await admin.caller.request({
            method: 'PATCH',
            url: `/api/v1/users/${other.id}`,
            payload: { role: 'admin' },
          })
        ).statusCode,
      ).toBe(200);
    });

    it('does not let agents change roles (403)', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      const res = await agent.caller.request({
        method: 'PATCH',
        url: `/api/v1/users/${agent.id}`,
        payload: { role: 'admin' },
      });
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('forbidden');
      expect((await getUser(tenant, agent.id)).role).toBe('agent');
    });

    it('refuses to demote the last owner (409), but allows it once there is another', async () => {
      const tenant = await createTenant(app);
      const res = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/users/${tenant.ownerId}`,
        payload: { role: 'admin' },
      });
      expect(res.statusCode).toBe(409);
      expect(problem(res).code).toBe('conflict');
      expect((await getUser(tenant, tenant.ownerId)).role).toBe('owner');

      const second = await addUser(app, tenant, 'admin');
      expect(
        (
          await tenant.owner.request({
            method: 'PATCH',
            url: `/api/v1/users/${second.id}`,
            payload: { role: 'owner' },
          })
        ).statusCode,
      ).toBe(200);
      const demoted = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/users/${tenant.ownerId}`,
        payload: { role: 'admin' },
      });
      expect(demoted.statusCode).toBe(200);
      expect(demoted.json<UserBody>().role).toBe('admin');
      // Now the second owner is the last one.
      const last = await second.caller.request({
        method: 'PATCH',
        url: `/api/v1/users/${second.id}`,
        payload: { role: 'agent' },
      });
      expect(last.statusCode).toBe(409);
    });
  });

  describe('deactivation', () => {
    it('signs a deactivated user out everywhere and stops them signing in; reactivation restores access', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      expect((await agent.caller.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);

      const res = await tenant.owner.request({ method: 'POST', url: `/api/v1/users/${agent.id}/deactivate` });
      expect(res.statusCode).toBe(200);
      expect(res.json<UserBody>()).toMatchObject({ id: agent.id, status: 'deactivated' });

      const me = await agent.caller.request({ method: 'GET', url: '/api/v1/me' });
      expect(me.statusCode).toBe(401);
      expect(problem(me).code).toBe('unauthenticated');
      const login = await anonymous(app).request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: agent.email, password: PASSWORD },
      });
      expect(login.statusCode).toBe(401);
      expect(problem(login).code).toBe('invalid_credentials');

      const back = await tenant.owner.request({
        method: 'POST',
        url: `/api/v1/users/${agent.id}/reactivate`,
      });
      expect(back.statusCode).toBe(200);
      expect(back.json<UserBody>()).toMatchObject({ id: agent.id, status: 'active' });
      // The old session stays revoked; a new login works.
      expect((await agent.caller.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
      const fresh = await signIn(app, agent.email);
      expect((await fresh.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);

      const audit = await tenant.owner.request({
        method: 'GET',
        url: `/api/v1/audit-log?targetId=${agent.id}`,
      });
      const entries = audit.json<{ items: { action: string; before: unknown; after: unknown }[] }>().items;
      expect(entries.find((e) => e.action === 'user.deactivated')).toMatchObject({
        before: { status: 'active' },
        after: { status: 'deactivated', sessionsRevoked: 1 },
      });
      expect(entries.find((e) => e.action === 'user.reactivated')).toMatchObject({
        before: { status: 'deactivated' },
        after: { status: 'active' },
      });
    });

    it('does not let a user deactivate themselves (409) nor an agent deactivate anyone (403)', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      const self = await tenant.owner.request({
        method: 'POST',
        url: `/api/v1/users/${tenant.ownerId}/deactivate`,
      });
      expect(self.statusCode).toBe(409);
      expect(problem(self).code).toBe('conflict');
      const byAgent = await agent.caller.request({
        method: 'POST',
        url: `/api/v1/users/${tenant.ownerId}/deactivate`,
      });
      expect(byAgent.statusCode).toBe(403);
      expect(problem(byAgent).code).toBe('forbidden');
      expect((await tenant.owner.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    });

    it('answers 404 when deactivating an unknown user', async () => {
      const tenant = await createTenant(app);
      const res = await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/users/0190aaaa-0000-7000-8000-000000000000/deactivate',
      });
      expect(res.statusCode).toBe(404);
      expect(problem(res).code).toBe('not_found');
    });
  });

  describe('escalation and re-invitation', () => {
    it('does not let a manager grant permissions they do not hold', async () => {
      const t = await createTenant(app);
      const admin = await addUser(app, t, 'admin');
      const agent = await addUser(app, t, 'agent');
      // The owner narrows the admin to user management only.
      const narrowed = await t.owner.request({
        method: 'PATCH',
        url: `/api/v1/users/${admin.id}`,
        payload: { permissions: ['users.read', 'users.manage'] },
      });
      expect(narrowed.statusCode).toBe(200);
      const res = await admin.caller.request({
        method: 'PATCH',
        url: `/api/v1/users/${agent.id}`,
        payload: { permissions: ['users.read', 'api_keys.manage'] },
      });
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('forbidden');
      const promote = await admin.caller.request({
        method: 'PATCH',
        url: `/api/v1/users/${agent.id}`,
        payload: { role: 'admin' },
      });
      expect(promote.statusCode).toBe(403);
      const after = await t.owner.request({ method: 'GET', url: `/api/v1/users/${agent.id}` });
      expect(after.json<UserBody>()).toMatchObject({
        role: 'agent',
        permissions: agentDefaults,
      });
    });

    it('replaces a pending invitation when the same address is invited again', async () => {
      const t = await createTenant(app);
      const email = uniqueEmail('twice');
      const { token: first } = await invited(t.owner, 'agent', email);
      clock.advance(1000); // so the second mail is the newest in the outbox
      // Case does not make another address.
      const again = await invite(t.owner, email.toUpperCase(), 'admin');
      expect(again.statusCode).toBe(201);
      const second = tokenFrom(await mailTo(app, email));
      expect(second).not.toBe(first);
      const pending = await t.owner.request({ method: 'GET', url: '/api/v1/invitations' });
      expect(pending.json<{ items: { email: string; role: string }[] }>().items).toEqual([
        expect.objectContaining({ email, role: 'admin' }),
      ]);
      expect((await accept(first)).statusCode).toBe(410);
      const ok = await accept(second);
      expect(ok.statusCode).toBe(200);
      expect(ok.json<{ user: UserBody }>().user.role).toBe('admin');
    });
  });
});
