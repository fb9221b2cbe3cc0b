import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { ManualClock } from '../../platform/clock.ts';
import {
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
  type Operator,
} from '../../../test/operators-support.ts';

describe(`platform operators (${engine})`, () => {
  let app: SwitchboardApp;
  const clock = new ManualClock(new Date());
  const { newOperator, operatorLogin, operatorSession } = operatorKit(() => app);
  let op: Operator;

  beforeAll(async () => {
    app = await createTestApp({ clock });
    op = await operatorSession();
  });
  afterAll(async () => app.close());

  describe('sign-in', () => {
    it('signs an operator in with an httpOnly sb_operator cookie and a CSRF token; logout ends the session', async () => {
      const { email, id } = await newOperator();
      const res = await operatorLogin(email.toUpperCase());
      expect(res.statusCode).toBe(200);
      const body = res.json<{ csrfToken: string; operator: { id: string; email: string; name: string } }>();
      expect(body).toEqual({ csrfToken: expect.any(String), operator: { id, email, name: 'Pat Operator' } });
      const cookie = res.cookies.find((c) => c.name === 'sb_operator');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(res.cookies.find((c) => c.name === 'sb_session')).toBeUndefined();

      const cookies = { sb_operator: cookie!.value };
      expect(
        (await app.http.inject({ method: 'GET', url: '/api/v1/operator/organizations', cookies })).statusCode,
      ).toBe(200);
      const noCsrf = await app.http.inject({ method: 'POST', url: '/api/v1/operator/auth/logout', cookies });
      expect(noCsrf.statusCode).toBe(403);
      expect(problem(noCsrf).code).toBe('csrf_token_invalid');
      const logout = await app.http.inject({
        method: 'POST',
        url: '/api/v1/operator/auth/logout',
        cookies,
        headers: { 'x-csrf-token': body.csrfToken },
      });
      expect(logout.statusCode).toBe(204);
      const after = await app.http.inject({ method: 'GET', url: '/api/v1/operator/organizations', cookies });
      expect(after.statusCode).toBe(401);
      expect(problem(after).code).toBe('unauthenticated');
    });

    it('refuses a wrong password or unknown operator with the same 401', async () => {
      const { email } = await newOperator();
      const wrong = await operatorLogin(email, 'not the password');
      expect(wrong.statusCode).toBe(401);
      expect(problem(wrong).code).toBe('invalid_credentials');
      expect(wrong.cookies).toEqual([]);
      const unknown = await operatorLogin(uniqueEmail('nobody'));
      expect(unknown.statusCode).toBe(401);
      expect(problem(unknown).code).toBe('invalid_credentials');
    });

    it('does not let a tenant user sign in as an operator', async () => {
      const tenant = await createTenant(app);
      const res = await operatorLogin(tenant.ownerEmail, PASSWORD);
      expect(res.statusCode).toBe(401);
      expect(problem(res).code).toBe('invalid_credentials');
    });

    it('locks an operator account for 15 minutes after 5 bad passwords (429 with Retry-After)', async () => {
      const { email } = await newOperator();
      for (let i = 0; i < 5; i++) {
        const res = await operatorLogin(email, `bad password ${i}`);
        expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
      }
      // Locked: even the right password, from another address, is refused.
      const locked = await operatorLogin(email);
      expect(locked.statusCode).toBe(429);
      expect(problem(locked).code).toBe('rate_limited');
      expect(locked.headers['retry-after']).toBe('900');
      expect(locked.cookies).toEqual([]);

      clock.advance(10 * 60_000);
      const still = await operatorLogin(email);
      expect(still.statusCode).toBe(429);
      expect(still.headers['retry-after']).toBe('300');

      clock.advance(5 * 60_000);
      expect((await operatorLogin(email)).statusCode).toBe(200);
    });

    it('expires an operator session after 12 hours', async () => {
      const operator = await operatorSession();
      clock.advance(12 * 3600_000 - 1000);
      expect(
        (await operator.request({ method: 'GET', url: '/api/v1/operator/organizations' })).statusCode,
      ).toBe(200);
      clock.advance(1000);
      const res = await operator.request({ method: 'GET', url: '/api/v1/operator/organizations' });
      expect(res.statusCode).toBe(401);
      // The shared operator session of this file started earlier; give the remaining tests a fresh one.
      op = await operatorSession();
    });
  });

  describe('separation of operators and tenants', () => {
    it('refuses a tenant user’s session and API key on operator routes (401)', async () => {
      const tenant = await createTenant(app);
      for (const req of [
        { method: 'GET', url: '/api/v1/operator/organizations' },
        { method: 'GET', url: '/api/v1/operator/outbox' },
        { method: 'POST', url: `/api/v1/operator/organizations/${tenant.organizationId}/suspend` },
      ] as const) {
        const res = await tenant.owner.request(req);
        expect(res.statusCode, req.url).toBe(401);
        expect(problem(res).code).toBe('unauthenticated');
      }
      const key = await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: { name: 'k', scopes: ['organization.manage'] },
      });
      const viaKey = await withApiKey(app, key.json<{ key: string }>().key).request({
        method: 'GET',
        url: '/api/v1/operator/organizations',
      });
      expect(viaKey.statusCode).toBe(401);
      const org = await op.request({
        method: 'GET',
        url: `/api/v1/operator/organizations?search=${encodeURIComponent(tenant.ownerEmail)}`,
      });
      expect(org.json<{ items: OrganizationBody[] }>().items[0]!.status).toBe('active');
    });

    it('refuses an operator’s session on tenant routes (401)', async () => {
      for (const url of ['/api/v1/users', '/api/v1/me', '/api/v1/audit-log']) {
        const res = await op.request({ method: 'GET', url });
        expect(res.statusCode, url).toBe(401);
        expect(problem(res).code).toBe('unauthenticated');
      }
      const res = await op.request({
        method: 'POST',
        url: '/api/v1/invitations',
        payload: { email: uniqueEmail('x'), role: 'agent' },
      });
      expect(res.statusCode).toBe(401);
    });

    it('refuses anonymous callers on operator routes', async () => {
      const res = await anonymous(app).request({ method: 'GET', url: '/api/v1/operator/organizations' });
      expect(res.statusCode).toBe(401);
      expect(problem(res).code).toBe('unauthenticated');
    });
  });

  describe('organizations', () => {
    it('lists organizations, searching by name, owner email and account number', async () => {
      const tenant = await createTenant(app);
      const other = await createTenant(app);
      const byEmail = await op.request({
        method: 'GET',
        url: `/api/v1/operator/organizations?search=${encodeURIComponent(tenant.ownerEmail.toUpperCase())}`,
      });
      expect(byEmail.statusCode).toBe(200);
      const items = byEmail.json<{ items: OrganizationBody[] }>().items;
      expect(items.map((o) => o.id)).toEqual([tenant.organizationId]);
      expect(items[0]).toMatchObject({
        name: `Org ${tenant.ownerEmail}`,
        ownerEmail: tenant.ownerEmail,
        ownerName: 'Olive Owner',
        plan: 'pro',
        status: 'active',
      });

      const byNumber = await op.request({
        method: 'GET',
        url: `/api/v1/operator/organizations?search=${encodeURIComponent(items[0]!.accountNumber)}`,
      });
      expect(byNumber.json<{ items: OrganizationBody[] }>().items.map((o) => o.id)).toEqual([
        tenant.organizationId,
      ]);

      const all = await op.request({ method: 'GET', url: '/api/v1/operator/organizations?limit=200' });
      const ids = all.json<{ items: OrganizationBody[] }>().items.map((o) => o.id);
      expect(ids).toEqual(expect.arrayContaining([tenant.organizationId, other.organizationId]));

      const limited = await op.request({ method: 'GET', url: '/api/v1/operator/organizations?limit=1' });
      expect(limited.json<{ items: unknown[] }>().items).toHaveLength(1);
      const bad = await op.request({
        method: 'GET',
        url: '/api/v1/operator/organizations?limit=0&offset=-1',
      });
      expect(bad.statusCode).toBe(400);
      expect(
        problem(bad)
          .errors!.map((e) => e.path)
          .sort(),
      ).toEqual(['query.limit', 'query.offset']);
    });

    it('treats % and _ in a search literally', async () => {
      const tag = `zz${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
      const name = `${tag}-abc-${tag}`;
      const created = await op.request({
        method: 'POST',
        url: '/api/v1/operator/organizations',
        payload: {
          name,
          owner: { email: uniqueEmail('lit'), password: PASSWORD, firstName: 'Lit', lastName: 'Eral' },
        },
      });
      expect(created.statusCode).toBe(201);
      const exact = await op.request({
        method: 'GET',
        url: `/api/v1/operator/organizations?search=${encodeURIComponent(name)}`,
      });
      expect(exact.json<{ items: unknown[] }>().items).toHaveLength(1);
      for (const search of [`${tag}%${tag}`, `${tag}_abc_${tag}`]) {
        const res = await op.request({
          method: 'GET',
          url: `/api/v1/operator/organizations?search=${encodeURIComponent(search)}`,
        });
        expect(res.statusCode).toBe(200);
        expect(res.json<{ items: unknown[] }>().items, search).toEqual([]);
      }
    });

    it('creates an organization with its owner (201), who can then sign in', async () => {
      const ownerEmail = uniqueEmail('new-owner');
      const res = await op.request({
        method: 'POST',
        url: '/api/v1/operator/organizations',
        payload: {
          name: 'Acme Ltd',
          legalNumber: 'GB123456',
          owner: {
            email: ownerEmail,
            password: PASSWORD,
            firstName: 'Ada',
            lastName: 'Acme',
            phone: '+44 20 7946 0000',
          },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{
        organization: OrganizationBody & { legalNumber: string; ownerPhone: string };
        ownerId: string;
      }>();
      expect(body.organization).toMatchObject({
        name: 'Acme Ltd',
        legalNumber: 'GB123456',
        ownerEmail,
        ownerName: 'Ada Acme',
        ownerPhone: '+44 20 7946 0000',
        plan: 'free',
        status: 'active',
        suspendedReason: null,
      });
      expect(body.organization.accountNumber).toEqual(expect.any(String));

      const owner = await signIn(app, ownerEmail);
      const me = await owner.request({ method: 'GET', url: '/api/v1/me' });
      expect(me.json<{ user: { id: string; role: string }; organization: { id: string } }>()).toMatchObject({
        user: { id: body.ownerId, role: 'owner' },
        organization: { id: body.organization.id },
      });
      const audit = await owner.request({
        method: 'GET',
        url: '/api/v1/audit-log?action=organization.created',
      });
      expect(audit.json<{ items: unknown[] }>().items).toEqual([
        expect.objectContaining({
          actorType: 'operator',
          actorId: op.id,
          actorLabel: op.email,
          targetId: body.organization.id,
        }),
      ]);
    });

    it('validates a new organization and refuses a taken owner email (409)', async () => {
      const tenant = await createTenant(app);
      const taken = await op.request({
        method: 'POST',
        url: '/api/v1/operator/organizations',
        payload: {
          name: 'Dup',
          owner: { email: tenant.ownerEmail, password: PASSWORD, firstName: 'D', lastName: 'Up' },
        },
      });
      expect(taken.statusCode).toBe(409);
      expect(problem(taken)).toMatchObject({ code: 'email_taken', errors: [{ path: 'body.owner.email' }] });
      const dupName = await op.request({
        method: 'GET',
        url: '/api/v1/operator/organizations?search=Dup&limit=200',
      });
      expect(dupName.json<{ items: OrganizationBody[] }>().items.filter((o) => o.name === 'Dup')).toEqual([]);

      const bad = await op.request({
        method: 'POST',
        url: '/api/v1/operator/organizations',
        payload: {
          name: '',
          plan: 'platinum',
          owner: { email: 'nope', password: 'short', firstName: 'A', lastName: 'B' },
        },
      });
      expect(bad.statusCode).toBe(400);
      expect(
        problem(bad)
          .errors!.map((e) => e.path)
          .sort(),
      ).toEqual(['body.name', 'body.owner.email', 'body.owner.password', 'body.plan']);
    });

    it('needs the CSRF token for operator writes', async () => {
      const tenant = await createTenant(app);
      const res = await app.http.inject({
        method: 'POST',
        url: `/api/v1/operator/organizations/${tenant.organizationId}/suspend`,
        cookies: { sb_operator: op.cookie },
      });
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('csrf_token_invalid');
      const wrong = await op.request({
        method: 'POST',
        url: `/api/v1/operator/organizations/${tenant.organizationId}/suspend`,
        headers: { 'x-csrf-token': 'forged' },
      });
      expect(wrong.statusCode).toBe(403);
      expect((await tenant.owner.request({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);
    });
  });
});
