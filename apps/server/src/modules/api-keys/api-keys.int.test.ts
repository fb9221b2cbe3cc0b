import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import type { SwitchboardApp } from '../../app.ts';
import { ManualClock } from '../../platform/clock.ts';
import { hashToken } from '../../platform/security/tokens.ts';
import { apiKeys } from './api-keys.tables.ts';
import {
  addUser,
  anonymous,
  createTenant,
  createTestApp,
  engine,
  uniqueEmail,
  withApiKey,
  type Caller,
} from '../../../test/harness.ts';

interface Problem {
  code: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

interface KeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const problem = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<Problem>();
};

describe(`API keys (${engine})`, () => {
  let app: SwitchboardApp;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => app.close());

  const create = (caller: Caller, payload: Record<string, unknown>) =>
    caller.request({ method: 'POST', url: '/api/v1/api-keys', payload });

  async function createKey(caller: Caller, scopes: string[], extra: Record<string, unknown> = {}) {
    const res = await create(caller, { name: 'Integration', scopes, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<KeyView & { key: string }>();
  }

  const list = async (caller: Caller) => {
    const res = await caller.request({ method: 'GET', url: '/api/v1/api-keys' });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: (KeyView & Record<string, unknown>)[] }>().items;
  };

  it('shows the key once, on creation, and stores only its hash', async () => {
    const tenant = await createTenant(app);
    const created = await createKey(tenant.owner, ['users.read', 'users.read', 'audit.read']);
    expect(created).toMatchObject({
      name: 'Integration',
      scopes: ['users.read', 'audit.read'],
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
      createdAt: clock.now().toISOString(),
    });
    expect(created.key).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));

    const items = await list(tenant.owner);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: created.id,
      prefix: created.prefix,
      scopes: ['users.read', 'audit.read'],
    });
    expect(items[0]).not.toHaveProperty('key');
    expect(items[0]).not.toHaveProperty('keyHash');
    const listed = await tenant.owner.request({ method: 'GET', url: '/api/v1/api-keys' });
    expect(listed.body).not.toContain(created.key);
    expect(listed.body).not.toContain(hashToken(created.key));

    const [row] = await app.database.tenant(tenant.organizationId, (tx) =>
      tx.select().from(apiKeys).where(eq(apiKeys.id, created.id)),
    );
    expect(row!.keyHash).toBe(hashToken(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);
  });

  it('authenticates with Authorization: Bearer, and writes need no CSRF token', async () => {
    const tenant = await createTenant(app);
    const { key } = await createKey(tenant.owner, ['users.read', 'users.manage']);
    const api = withApiKey(app, key);
    const res = await api.request({ method: 'GET', url: '/api/v1/users' });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ items: { id: string }[] }>().items.map((u) => u.id)).toEqual([tenant.ownerId]);

    // The lower-case scheme is accepted too.
    const lower = await app.http.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: `bearer ${key}` },
    });
    expect(lower.statusCode).toBe(200);

    const email = uniqueEmail('by-key');
    const invite = await api.request({
      method: 'POST',
      url: '/api/v1/invitations',
      payload: { email, role: 'agent' },
    });
    expect(invite.statusCode, invite.body).toBe(201);
    expect(invite.json<{ email: string }>().email).toBe(email);
  });

  it('acts as an admin, never as an owner: a key cannot invite an owner', async () => {
    const tenant = await createTenant(app);
    const { key } = await createKey(tenant.owner, ['users.read', 'users.manage']);
    const api = withApiKey(app, key);
    const res = await api.request({
      method: 'POST',
      url: '/api/v1/invitations',
      payload: { email: uniqueEmail('o'), role: 'owner' },
    });
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('forbidden');
    const demote = await api.request({
      method: 'PATCH',
      url: `/api/v1/users/${tenant.ownerId}`,
      payload: { role: 'agent' },
    });
    expect(demote.statusCode).toBe(403);
  });

  it('refuses a route outside the key’s scopes (403)', async () => {
    const tenant = await createTenant(app);
    const { key } = await createKey(tenant.owner, ['audit.read']);
    const api = withApiKey(app, key);
    const res = await api.request({ method: 'GET', url: '/api/v1/users' });
    expect(res.statusCode).toBe(403);
    expect(problem(res)).toMatchObject({ code: 'forbidden', detail: expect.stringContaining('users.read') });
    expect((await api.request({ method: 'GET', url: '/api/v1/audit-log' })).statusCode).toBe(200);
    const createMore = await create(api, { name: 'Child', scopes: ['audit.read'] });
    expect(createMore.statusCode).toBe(403);
  });

  it('cannot be given scopes its creator lacks', async () => {
    const tenant = await createTenant(app);
    const agent = await addUser(app, tenant, 'agent');
    // An agent cannot manage keys at all.
    const denied = await create(agent.caller, { name: 'Mine', scopes: ['users.read'] });
    expect(denied.statusCode).toBe(403);
    expect(problem(denied)).toMatchObject({
      code: 'forbidden',
      detail: expect.stringContaining('api_keys.manage'),
    });

    // Granted api_keys.manage, the agent can make keys only within its own permissions.
    const grant = await tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/users/${agent.id}`,
      payload: { permissions: ['organization.read', 'users.read', 'api_keys.manage'] },
    });
    expect(grant.statusCode).toBe(200);
    const excess = await create(agent.caller, {
      name: 'Mine',
      scopes: ['users.read', 'audit.read', 'users.manage'],
    });
    expect(excess.statusCode).toBe(403);
    expect(problem(excess)).toMatchObject({
      code: 'forbidden',
      detail: expect.stringContaining('audit.read, users.manage'),
    });
    expect(await list(tenant.owner)).toEqual([]);
    const ok = await create(agent.caller, { name: 'Mine', scopes: ['users.read'] });
    expect(ok.statusCode).toBe(201);

    // A key that manages keys is held to its own scopes the same way.
    const { key } = await createKey(tenant.owner, ['api_keys.manage', 'users.read']);
    const child = await create(withApiKey(app, key), { name: 'Child', scopes: ['audit.read'] });
    expect(child.statusCode).toBe(403);
    expect(problem(child).code).toBe('forbidden');
    expect((await create(withApiKey(app, key), { name: 'Child', scopes: ['users.read'] })).statusCode).toBe(
      201,
    );
  });

  it('validates the request', async () => {
    const tenant = await createTenant(app);
    const empty = await create(tenant.owner, { name: '', scopes: [] });
    expect(empty.statusCode).toBe(400);
    expect(
      problem(empty)
        .errors!.map((e) => e.path)
        .sort(),
    ).toEqual(['body.name', 'body.scopes']);
    const unknown = await create(tenant.owner, { name: 'k', scopes: ['everything'] });
    expect(unknown.statusCode).toBe(400);
    expect(problem(unknown).errors!.map((e) => e.path)).toEqual(['body.scopes.0']);
    const past = await create(tenant.owner, {
      name: 'k',
      scopes: ['users.read'],
      expiresAt: new Date(clock.now().getTime() - 1000).toISOString(),
    });
    expect(past.statusCode).toBe(400);
    expect(problem(past)).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.expiresAt' }] });
    expect(await list(tenant.owner)).toEqual([]);
  });

  it('stops working once revoked (401)', async () => {
    const tenant = await createTenant(app);
    const created = await createKey(tenant.owner, ['users.read']);
    const api = withApiKey(app, created.key);
    expect((await api.request({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);

    const revoke = await tenant.owner.request({ method: 'DELETE', url: `/api/v1/api-keys/${created.id}` });
    expect(revoke.statusCode).toBe(204);
    const res = await api.request({ method: 'GET', url: '/api/v1/users' });
    expect(res.statusCode).toBe(401);
    expect(problem(res).code).toBe('unauthenticated');

    const [item] = await list(tenant.owner);
    expect(item).toMatchObject({ id: created.id, revokedAt: clock.now().toISOString() });
    const again = await tenant.owner.request({ method: 'DELETE', url: `/api/v1/api-keys/${created.id}` });
    expect(again.statusCode).toBe(404);
    expect(problem(again).code).toBe('not_found');
  });

  it('stops working when it expires (401)', async () => {
    const tenant = await createTenant(app);
    const expiresAt = new Date(clock.now().getTime() + 3600_000);
    const created = await createKey(tenant.owner, ['users.read'], { expiresAt: expiresAt.toISOString() });
    expect(created.expiresAt).toBe(expiresAt.toISOString());
    const api = withApiKey(app, created.key);

    clock.advance(3600_000 - 1);
    expect((await api.request({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);
    clock.advance(1);
    const res = await api.request({ method: 'GET', url: '/api/v1/users' });
    expect(res.statusCode).toBe(401);
    expect(problem(res).code).toBe('unauthenticated');
  });

  it('records when it was last used', async () => {
    const tenant = await createTenant(app);
    const created = await createKey(tenant.owner, ['users.read']);
    expect((await list(tenant.owner))[0]!.lastUsedAt).toBeNull();
    const usedAt = clock.now().toISOString();
    expect(
      (await withApiKey(app, created.key).request({ method: 'GET', url: '/api/v1/users' })).statusCode,
    ).toBe(200);
    expect((await list(tenant.owner))[0]!.lastUsedAt).toBe(usedAt);

    // Refreshed at most once a minute, then again after that.
    clock.advance(30_000);
    await withApiKey(app, created.key).request({ method: 'GET', url: '/api/v1/users' });
    expect((await list(tenant.owner))[0]!.lastUsedAt).toBe(usedAt);
    clock.advance(31_000);
    await withApiKey(app, created.key).request({ method: 'GET', url: '/api/v1/users' });
    expect((await list(tenant.owner))[0]!.lastUsedAt).toBe(clock.now().toISOString());
  });

  it('cannot call user-only routes', async () => {
    const tenant = await createTenant(app);
    const { key } = await createKey(tenant.owner, ['users.read', 'users.manage', 'organization.read']);
    const api = withApiKey(app, key);
    const me = await api.request({ method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode).toBe(403);
    expect(problem(me).code).toBe('forbidden');
    const sessions = await api.request({ method: 'GET', url: '/api/v1/auth/sessions' });
    expect(sessions.statusCode).toBe(403);
    const logout = await api.request({ method: 'POST', url: '/api/v1/auth/logout' });
    expect(logout.statusCode).toBe(403);
  });

  it('answers 401 to a malformed or unknown Authorization header', async () => {
    const tenant = await createTenant(app);
    const { key } = await createKey(tenant.owner, ['users.read']);
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer ',
      `Bearer ${key} extra`,
      `Token ${key}`,
      'Bearer sbk_not-a-real-key',
      `Bearer ${key.slice(4)}`,
      key,
    ]) {
      const res = await app.http.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
      expect(problem(res).code).toBe('unauthenticated');
    }
  });

  it('takes precedence over a session cookie: a bad key is not rescued by a valid cookie', async () => {
    const tenant = await createTenant(app);
    const res = await tenant.owner.request({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: 'Bearer sbk_wrong' },
    });
    expect(res.statusCode).toBe(401);
    expect((await tenant.owner.request({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);
  });

  it('needs api_keys.manage to list or revoke keys', async () => {
    const tenant = await createTenant(app);
    const created = await createKey(tenant.owner, ['users.read']);
    const agent = await addUser(app, tenant, 'agent');
    const listRes = await agent.caller.request({ method: 'GET', url: '/api/v1/api-keys' });
    expect(listRes.statusCode).toBe(403);
    const revoke = await agent.caller.request({ method: 'DELETE', url: `/api/v1/api-keys/${created.id}` });
    expect(revoke.statusCode).toBe(403);
    expect(problem(revoke).code).toBe('forbidden');
    expect(
      (await withApiKey(app, created.key).request({ method: 'GET', url: '/api/v1/users' })).statusCode,
    ).toBe(200);
    const anon = await anonymous(app).request({ method: 'GET', url: '/api/v1/api-keys' });
    expect(anon.statusCode).toBe(401);
  });
});
