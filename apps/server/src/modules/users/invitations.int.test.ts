import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { SwitchboardApp } from '../../app.ts';
import { ManualClock } from '../../platform/clock.ts';
import { systemActor } from '../../platform/auth/principal.ts';
import { permissions as allPermissions } from '../../platform/auth/permissions.ts';
import { hashToken } from '../../platform/security/tokens.ts';
import { invitations } from './users.tables.ts';
import { INVITATION_TTL_MS } from './users.service.ts';
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

describe(`invitations (${engine})`, () => {
  let app: SwitchboardApp;
  // Starts at the real time so the outbox (ordered by time, shared on PostgreSQL) stays sensible.
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => app.close());

  const { invite, accept, invited, getUser } = usersKit(() => app);

  describe('invitations', () => {
    it('emails a single-use link that creates the user with the invited role and signs them in', async () => {
      const tenant = await createTenant(app);
      const email = uniqueEmail('invitee');
      const res = await invite(tenant.owner, email, 'admin');
      expect(res.statusCode).toBe(201);
      const body = res.json<{
        id: string;
        email: string;
        role: string;
        expiresAt: string;
        createdAt: string;
      }>();
      expect(body).toMatchObject({ email, role: 'admin' });
      expect(new Date(body.expiresAt).getTime() - clock.now().getTime()).toBe(INVITATION_TTL_MS);

      const pending = await tenant.owner.request({ method: 'GET', url: '/api/v1/invitations' });
      expect(pending.statusCode).toBe(200);
      expect(pending.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([body.id]);

      const mail = await mailTo(app, email);
      expect(mail.organizationId).toBe(tenant.organizationId);
      expect(mail.status).toBe('captured');
      expect(mail.subject).toContain(`Org ${tenant.ownerEmail}`);
      expect(mail.textBody).toContain('http://127.0.0.1:3000/accept-invitation?token=');
      const token = tokenFrom(mail);

      // Only the token's hash is stored.
      const [row] = await app.database.tenant(tenant.organizationId, (tx) =>
        tx.select().from(invitations).where(eq(invitations.id, body.id)),
      );
      expect(row!.tokenHash).toBe(hashToken(token));
      expect(row!.tokenHash).not.toBe(token);

      const accepted = await accept(token);
      expect(accepted.statusCode, accepted.body).toBe(200);
      const signedIn = accepted.json<{ csrfToken: string; user: UserBody; organization: { id: string } }>();
      expect(signedIn.user).toMatchObject({
        email,
        role: 'admin',
        status: 'active',
        permissions: [...allPermissions],
      });
      expect(signedIn.organization.id).toBe(tenant.organizationId);
      expect(signedIn.csrfToken).toEqual(expect.any(String));
      const cookie = accepted.cookies.find((c) => c.name === 'sb_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

      const me = await app.http.inject({
        method: 'GET',
        url: '/api/v1/me',
        cookies: { sb_session: cookie!.value },
      });
      expect(me.statusCode).toBe(200);
      expect(me.json<{ user: UserBody }>().user).toMatchObject({
        id: signedIn.user.id,
        email,
        role: 'admin',
      });

      expect(await getUser(tenant, signedIn.user.id)).toMatchObject({
        email,
        role: 'admin',
        firstName: 'Ivy',
        lastName: 'Invitee',
      });
      // Accepted invitations are no longer pending, and the new user can sign in with the chosen password.
      const after = await tenant.owner.request({ method: 'GET', url: '/api/v1/invitations' });
      expect(after.json<{ items: unknown[] }>().items).toEqual([]);
      await expect(signIn(app, email)).resolves.toMatchObject({ csrfToken: expect.any(String) });
    });

    it('refuses to reuse an invitation token (410 token_invalid)', async () => {
      const tenant = await createTenant(app);
      const { token, email } = await invited(tenant.owner);
      expect((await accept(token)).statusCode).toBe(200);
      const again = await accept(token, { password: 'another password 123' });
      expect(again.statusCode).toBe(410);
      expect(problem(again).code).toBe('token_invalid');
      expect(again.cookies.find((c) => c.name === 'sb_session')).toBeUndefined();
      // The second attempt changed nothing: the first password still works, and there is one such user.
      await expect(signIn(app, email, 'another password 123')).rejects.toThrow(/401/);
      const list = await tenant.owner.request({ method: 'GET', url: '/api/v1/users' });
      expect(list.json<{ items: UserBody[] }>().items.filter((u) => u.email === email)).toHaveLength(1);
    });

    it('refuses an unknown token', async () => {
      const res = await accept('x'.repeat(43));
      expect(res.statusCode).toBe(410);
      expect(problem(res).code).toBe('token_invalid');
    });

    it('refuses an expired invitation, and accepts one just before it expires', async () => {
      const tenant = await createTenant(app);
      const early = await invited(tenant.owner);
      const late = await invited(tenant.owner);

      clock.advance(INVITATION_TTL_MS - 60_000);
      expect((await accept(early.token)).statusCode).toBe(200);

      clock.advance(60_001);
      const res = await accept(late.token);
      expect(res.statusCode).toBe(410);
      expect(problem(res).code).toBe('token_invalid');
      const pending = await tenant.owner.request({ method: 'GET', url: '/api/v1/invitations' });
      expect(pending.statusCode).toBe(200);
      expect(pending.json<{ items: unknown[] }>().items).toEqual([]);
      const login = await anonymous(app).request({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: late.email, password: PASSWORD },
      });
      expect(login.statusCode).toBe(401);
    });

    it('refuses a revoked invitation', async () => {
      const tenant = await createTenant(app);
      const { id, token } = await invited(tenant.owner);
      const revoke = await tenant.owner.request({ method: 'DELETE', url: `/api/v1/invitations/${id}` });
      expect(revoke.statusCode).toBe(204);
      const res = await accept(token);
      expect(res.statusCode).toBe(410);
      expect(problem(res).code).toBe('token_invalid');
      const again = await tenant.owner.request({ method: 'DELETE', url: `/api/v1/invitations/${id}` });
      expect(again.statusCode).toBe(404);
      expect(problem(again).code).toBe('not_found');
    });

    it('does not let agents invite or see invitations (403)', async () => {
      const tenant = await createTenant(app);
      const agent = await addUser(app, tenant, 'agent');
      const email = uniqueEmail('nope');
      const res = await invite(agent.caller, email, 'agent');
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('forbidden');
      const list = await agent.caller.request({ method: 'GET', url: '/api/v1/invitations' });
      expect(list.statusCode).toBe(403);
      await expect(mailTo(app, email)).rejects.toThrow(/no mail/);
    });

    it('lets an admin invite admins and agents but not owners; an owner can invite an owner', async () => {
      const tenant = await createTenant(app);
      const admin = await addUser(app, tenant, 'admin');
      expect((await invite(admin.caller, uniqueEmail('a'), 'agent')).statusCode).toBe(201);
      expect((await invite(admin.caller, uniqueEmail('a'), 'admin')).statusCode).toBe(201);
      const ownerEmail = uniqueEmail('would-be-owner');
      const refused = await invite(admin.caller, ownerEmail, 'owner');
      expect(refused.statusCode).toBe(403);
      expect(problem(refused).code).toBe('forbidden');
      await expect(mailTo(app, ownerEmail)).rejects.toThrow(/no mail/);

      const { token } = await invited(tenant.owner, 'owner');
      const accepted = await accept(token);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json<{ user: UserBody }>().user.role).toBe('owner');
    });

    it('refuses to invite an email that already has an account (409 email_taken), in any organization and any case', async () => {
      const tenant = await createTenant(app);
      const other = await createTenant(app);
      for (const email of [other.ownerEmail, tenant.ownerEmail.toUpperCase()]) {
        const res = await invite(tenant.owner, email, 'agent');
        expect(res.statusCode).toBe(409);
        expect(problem(res)).toMatchObject({
          code: 'email_taken',
          errors: [{ path: 'body.email', message: expect.any(String) }],
        });
      }
    });

    it('refuses an invitation whose email got an account after it was sent (409 email_taken)', async () => {
      const tenant = await createTenant(app);
      const { token, email } = await invited(tenant.owner);
      const other = await createTenant(app);
      await app.services.users.createUser(
        other.organizationId,
        { email, password: PASSWORD, firstName: 'Early', lastName: 'Bird', role: 'agent' },
        systemActor,
      );
      const res = await accept(token);
      expect(res.statusCode).toBe(409);
      expect(problem(res)).toMatchObject({
        code: 'email_taken',
        errors: [{ path: 'body.token', message: expect.any(String) }],
      });
      const list = await tenant.owner.request({ method: 'GET', url: '/api/v1/users' });
      expect(list.json<{ items: UserBody[] }>().items.map((u) => u.email)).not.toContain(email);
    });

    it('validates the invitation body', async () => {
      const tenant = await createTenant(app);
      const res = await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/invitations',
        payload: { email: 'not-an-email', role: 'boss' },
      });
      expect(res.statusCode).toBe(400);
      const paths = problem(res)
        .errors!.map((e) => e.path)
        .sort();
      expect(paths).toEqual(['body.email', 'body.role']);
    });

    it('enforces the plan’s user limit, counting pending invitations (403 plan_limit_reached)', async () => {
      const tenant = await createTenant(app, 'free'); // 3 users: the owner plus two
      const first = await invited(tenant.owner);
      await invited(tenant.owner);
      const res = await invite(tenant.owner, uniqueEmail('third'), 'agent');
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('plan_limit_reached');

      // Accepting converts a pending invitation into a user: still full.
      expect((await accept(first.token)).statusCode).toBe(200);
      const still = await invite(tenant.owner, uniqueEmail('fourth'), 'agent');
      expect(still.statusCode).toBe(403);
      expect(problem(still).code).toBe('plan_limit_reached');

      // Revoking a pending invitation frees its seat.
      const pending = await tenant.owner.request({ method: 'GET', url: '/api/v1/invitations' });
      const [open] = pending.json<{ items: { id: string }[] }>().items;
      expect(
        (await tenant.owner.request({ method: 'DELETE', url: `/api/v1/invitations/${open!.id}` })).statusCode,
      ).toBe(204);
      expect((await invite(tenant.owner, uniqueEmail('fifth'), 'agent')).statusCode).toBe(201);
    });

    it('does not let a reactivation overrun the plan limit reserved by pending invitations', async () => {
      const tenant = await createTenant(app, 'free');
      const agent = await addUser(app, tenant, 'agent');
      expect(
        (await tenant.owner.request({ method: 'POST', url: `/api/v1/users/${agent.id}/deactivate` }))
          .statusCode,
      ).toBe(200);
      // Owner active + two pending invitations = the plan's 3 seats.
      const a = await invited(tenant.owner);
      const b = await invited(tenant.owner);
      const res = await tenant.owner.request({ method: 'POST', url: `/api/v1/users/${agent.id}/reactivate` });
      expect(res.statusCode).toBe(403);
      expect(problem(res).code).toBe('plan_limit_reached');
      expect((await accept(a.token)).statusCode).toBe(200);
      expect((await accept(b.token)).statusCode).toBe(200);
      const list = await tenant.owner.request({ method: 'GET', url: '/api/v1/users' });
      expect(list.json<{ items: UserBody[] }>().items.filter((u) => u.status === 'active')).toHaveLength(3);
    });
  });
});
