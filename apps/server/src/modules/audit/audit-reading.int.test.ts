import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import {
  addUser,
  anonymous,
  createTenant,
  createTestApp,
  engine,
  withApiKey,
} from '../../../test/harness.ts';
import { auditLog, invite, problem, type AuditItem } from '../../../test/audit-support.ts';

// Reading the audit log: filters, paging, who may read it, and each organization its own.
describe(`audit log reading (${engine})`, () => {
  let app: SwitchboardApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app.close());

  it('filters by action, actor, target and time', async () => {
    const tenant = await createTenant(app);
    const a = await invite(tenant);
    await invite(tenant);
    const agent = await addUser(app, tenant, 'agent');

    const invited = await auditLog(tenant.owner, '?action=user.invited');
    expect(invited.items).toHaveLength(2);
    expect(invited.items.every((e) => e.action === 'user.invited')).toBe(true);

    const byTarget = await auditLog(tenant.owner, `?targetId=${a.id}`);
    expect(byTarget.items.map((e) => e.action)).toEqual(['user.invited']);

    const byActor = await auditLog(tenant.owner, `?actorId=${agent.id}`);
    expect(byActor.items.map((e) => e.action)).toEqual(['auth.login']);

    expect((await auditLog(tenant.owner, '?action=no.such.action')).items).toEqual([]);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await auditLog(tenant.owner, `?from=${encodeURIComponent(future)}`)).items).toEqual([]);
    expect(
      (await auditLog(tenant.owner, `?to=${encodeURIComponent(future)}`)).items.length,
    ).toBeGreaterThanOrEqual(5);
    expect((await auditLog(tenant.owner, '?to=2000-01-01T00:00:00Z')).items).toEqual([]);

    const bad = await tenant.owner.request({
      method: 'GET',
      url: '/api/v1/audit-log?from=yesterday&limit=0',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      problem(bad)
        .errors!.map((e) => e.path)
        .sort(),
    ).toEqual(['query.from', 'query.limit']);
  });

  it('pages newest first with a cursor, without gaps or duplicates', async () => {
    const tenant = await createTenant(app);
    for (let i = 0; i < 5; i++) await invite(tenant);
    await addUser(app, tenant, 'agent');

    const all = await auditLog(tenant.owner, '?limit=200');
    expect(all.nextCursor).toBeNull();
    expect(all.items.length).toBeGreaterThanOrEqual(9); // created, 2 logins, 5 invitations, user.created

    const seen: AuditItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await auditLog(tenant.owner, query);
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.items.length).toBeGreaterThan(0);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
      expect(pages).toBeLessThan(50);
    } while (cursor !== null);

    expect(pages).toBe(Math.ceil(all.items.length / 2));
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expect(seen.map((e) => e.id)).toEqual(all.items.map((e) => e.id));
    for (let i = 1; i < seen.length; i++) {
      expect(Date.parse(seen[i - 1]!.occurredAt)).toBeGreaterThanOrEqual(Date.parse(seen[i]!.occurredAt));
    }
    // Newest first: the organization's creation is the oldest event.
    expect(seen.at(-1)!.action).toBe('organization.created');

    // A cursor combines with a filter.
    const first = await auditLog(tenant.owner, '?action=user.invited&limit=3');
    expect(first.items).toHaveLength(3);
    const rest = await auditLog(
      tenant.owner,
      `?action=user.invited&limit=3&cursor=${encodeURIComponent(first.nextCursor!)}`,
    );
    expect(rest.items).toHaveLength(2);
    expect(rest.nextCursor).toBeNull();
    expect(new Set([...first.items, ...rest.items].map((e) => e.id)).size).toBe(5);
  });

  it('answers 400 with path query.cursor for a cursor it did not issue', async () => {
    const tenant = await createTenant(app);
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'not-a-cursor',
      forged({ at: '2026-01-01' }),
      forged(['not a date', '0190aaaa-0000-7000-8000-000000000000']),
      forged(['2026-01-01T00:00:00.000Z', 42]),
      forged(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
      forged(['0000-01-01T00:00:00.000Z', '0190aaaa-0000-7000-8000-000000000000']),
      forged(['+275760-09-13T00:00:00.000Z', '0190aaaa-0000-7000-8000-000000000000']),
      'x'.repeat(201),
    ]) {
      const res = await tenant.owner.request({
        method: 'GET',
        url: `/api/v1/audit-log?cursor=${encodeURIComponent(cursor)}`,
      });
      expect(res.statusCode, cursor).toBe(400);
      expect(problem(res)).toMatchObject({
        code: 'validation_failed',
        errors: [expect.objectContaining({ path: 'query.cursor' })],
      });
    }
  });

  it('is readable by admins and keys with audit.read, not by agents (403)', async () => {
    const tenant = await createTenant(app);
    const agent = await addUser(app, tenant, 'agent');
    const res = await agent.caller.request({ method: 'GET', url: '/api/v1/audit-log' });
    expect(res.statusCode).toBe(403);
    expect(problem(res).code).toBe('forbidden');

    const admin = await addUser(app, tenant, 'admin');
    expect((await auditLog(admin.caller)).items.length).toBeGreaterThan(0);

    const created = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'No audit', scopes: ['users.read'] },
    });
    const denied = await withApiKey(app, created.json<{ key: string }>().key).request({
      method: 'GET',
      url: '/api/v1/audit-log',
    });
    expect(denied.statusCode).toBe(403);
    expect(problem(denied).code).toBe('forbidden');

    const anon = await anonymous(app).request({ method: 'GET', url: '/api/v1/audit-log' });
    expect(anon.statusCode).toBe(401);
  });

  it('shows each organization only its own events', async () => {
    const a = await createTenant(app);
    const b = await createTenant(app);
    const invitation = await invite(b);
    const page = await auditLog(a.owner, '?limit=200');
    expect(page.items.some((e) => e.targetId === invitation.id)).toBe(false);
    expect(page.items.find((e) => e.action === 'organization.created')!.targetId).toBe(a.organizationId);
    expect(JSON.stringify(page)).not.toContain(b.ownerEmail);
  });
});
