import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { ManualClock } from '../../platform/clock.ts';
import {
  addUser,
  anonymous,
  createTenant,
  createTestApp,
  engine,
  PASSWORD,
  signIn,
  uniqueEmail,
  withApiKey,
} from '../../../test/harness.ts';
import {
  operatorKit,
  problem,
  type OrganizationBody,
  type OutboxItem,
  type Operator,
} from '../../../test/operators-support.ts';

describe(`organization suspension and the outbox (${engine})`, () => {
  let app: SwitchboardApp;
  const clock = new ManualClock(new Date());
  const { operatorSession, suspend, reinstate } = operatorKit(() => app);
  let op: Operator;

  beforeAll(async () => {
    app = await createTestApp({ clock });
    op = await operatorSession();
  });
  afterAll(async () => app.close());

  describe('suspension', () => {
    it('blocks sessions, API keys and sign-in with 403 organization_suspended; reinstating restores everything', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      const keyRes = await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: { name: 'k', scopes: ['users.read'] },
      });
      const api = withApiKey(app, keyRes.json<{ key: string }>().key);
      const usersBefore = (await tenant.owner.request({ method: 'GET', url: '/api/v1/users' })).json<{
        items: { id: string }[];
      }>().items;
      expect(usersBefore).toHaveLength(2);

      const res = await suspend(op, tenant, 'Unpaid invoices');
      expect(res.statusCode).toBe(200);
      expect(res.json<OrganizationBody>()).toMatchObject({
        id: tenant.organizationId,
        status: 'suspended',
        suspendedReason: 'Unpaid invoices',
      });

      for (const [who, caller] of [
        ['owner session', tenant.owner],
        ['agent session', agent.caller],
        ['API key', api],
      ] as const) {
        const blocked = await caller.request({ method: 'GET', url: '/api/v1/users' });
        expect(blocked.statusCode, who).toBe(403);
        expect(problem(blocked).code, who).toBe('organization_suspended');
      }
      const me = await tenant.owner.request({ method: 'GET', url: '/api/v1/me' });
      expect(me.statusCode).toBe(403);
      expect(problem(me).code).toBe('organization_suspended');
      const write = await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/invitations',
        payload: { email: uniqueEmail('x'), role: 'agent' },
      });
      expect(write.statusCode).toBe(403);
      expect(problem(write).code).toBe('organization_suspended');

      const login = await anonymous(app).request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: agent.email, password: PASSWORD },
      });
      expect(login.statusCode).toBe(403);
      expect(problem(login).code).toBe('organization_suspended');
      expect(login.cookies.find((c) => c.name === 'sb_session')).toBeUndefined();

      const listed = await op.request({
        method: 'GET',
        url: `/api/v1/operator/organizations?search=${encodeURIComponent(tenant.ownerEmail)}`,
      });
      expect(listed.json<{ items: OrganizationBody[] }>().items[0]).toMatchObject({
        status: 'suspended',
        suspendedReason: 'Unpaid invoices',
      });

      const back = await reinstate(op, tenant);
      expect(back.statusCode).toBe(200);
      expect(back.json<OrganizationBody>()).toMatchObject({ status: 'active', suspendedReason: null });

      const usersAfter = await tenant.owner.request({ method: 'GET', url: '/api/v1/users' });
      expect(usersAfter.statusCode).toBe(200);
      expect(usersAfter.json<{ items: { id: string }[] }>().items).toEqual(usersBefore);
      expect((await agent.caller.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
      expect((await api.request({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);
      await expect(signIn(app, agent.email)).resolves.toMatchObject({ csrfToken: expect.any(String) });

      const audit = await tenant.owner.request({
        method: 'GET',
        url: '/api/v1/audit-log?targetId=' + tenant.organizationId,
      });
      const entries = audit.json<{
        items: { action: string; actorType: string; actorId: string; before: unknown; after: unknown }[];
      }>().items;
      expect(entries.find((e) => e.action === 'organization.suspended')).toMatchObject({
        actorType: 'operator',
        actorId: op.id,
        before: { status: 'active' },
        after: { status: 'suspended', reason: 'Unpaid invoices' },
      });
      expect(entries.find((e) => e.action === 'organization.reinstated')).toMatchObject({
        actorType: 'operator',
        after: { status: 'active' },
      });
    });

    it('keeps a pending invitation usable across a suspension, but not during it', async () => {
      const tenant = await createTenant(app);
      const email = uniqueEmail('invitee');
      expect(
        (
          await tenant.owner.request({
            method: 'POST',
            url: '/api/v1/invitations',
            payload: { email, role: 'agent' },
          })
        ).statusCode,
      ).toBe(201);
      const outbox = await op.request({ method: 'GET', url: '/api/v1/operator/outbox?limit=200' });
      const mail = outbox.json<{ items: OutboxItem[] }>().items.find((m) => m.to === email)!;
      const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text!)![1]!;
      const accept = () =>
        anonymous(app).request({
          method: 'POST',
          url: '/api/v1/auth/invitations/accept',
          payload: { token, firstName: 'I', lastName: 'V', password: PASSWORD },
        });

      expect((await suspend(op, tenant)).statusCode).toBe(200);
      const refused = await accept();
      expect(refused.statusCode).toBe(403);
      expect(problem(refused).code).toBe('organization_suspended');
      expect((await reinstate(op, tenant)).statusCode).toBe(200);
      const accepted = await accept();
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json<{ user: { email: string } }>().user.email).toBe(email);
    });

    it('suspends without a reason, and answers 404 for an unknown organization', async () => {
      const tenant = await createTenant(app);
      const res = await suspend(op, tenant);
      expect(res.statusCode).toBe(200);
      expect(res.json<OrganizationBody>()).toMatchObject({ status: 'suspended', suspendedReason: null });
      expect((await tenant.owner.request({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);

      const missing = await op.request({
        method: 'POST',
        url: '/api/v1/operator/organizations/0190aaaa-0000-7000-8000-000000000000/suspend',
      });
      expect(missing.statusCode).toBe(404);
      expect(problem(missing).code).toBe('not_found');
      const bad = await op.request({
        method: 'POST',
        url: `/api/v1/operator/organizations/${tenant.organizationId}/suspend`,
        payload: { reason: 'x', extra: true },
      });
      expect(bad.statusCode).toBe(400);
    });

    it('suspends only the one organization', async () => {
      const a = await createTenant(app);
      const b = await createTenant(app);
      expect((await suspend(op, a)).statusCode).toBe(200);
      expect((await a.owner.request({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(403);
      expect((await b.owner.request({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);
    });
  });

  describe('outbox', () => {
    it('shows captured mail, with its text, to operators', async () => {
      const tenant = await createTenant(app);
      const email = uniqueEmail('invitee');
      expect(
        (
          await tenant.owner.request({
            method: 'POST',
            url: '/api/v1/invitations',
            payload: { email, role: 'admin' },
          })
        ).statusCode,
      ).toBe(201);

      const res = await op.request({ method: 'GET', url: '/api/v1/operator/outbox?limit=200' });
      expect(res.statusCode).toBe(200);
      const mail = res.json<{ items: OutboxItem[] }>().items.find((m) => m.to === email);
      expect(mail).toMatchObject({
        organizationId: tenant.organizationId,
        to: email,
        status: 'captured',
        subject: expect.stringContaining(`Org ${tenant.ownerEmail}`),
        text: expect.stringMatching(/\/accept-invitation\?token=[A-Za-z0-9_-]{20,}/),
      });
      expect(mail!.text).toContain('as admin');

      const limited = await op.request({ method: 'GET', url: '/api/v1/operator/outbox?limit=1' });
      expect(limited.json<{ items: unknown[] }>().items).toHaveLength(1);
      const bad = await op.request({ method: 'GET', url: '/api/v1/operator/outbox?limit=500' });
      expect(bad.statusCode).toBe(400);
      expect(problem(bad).errors!.map((e) => e.path)).toEqual(['query.limit']);
    });
  });
});
