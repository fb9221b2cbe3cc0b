import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { SwitchboardApp } from '../../app.ts';
import { users } from '../../modules/users/users.tables.ts';
import { createTenant, createTestApp, engine } from '../../../test/harness.ts';

describe(`row-level security (${engine})`, () => {
  let app: SwitchboardApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app.close());

  it('is enabled, with a tenant policy, on every table that has a tenant_id column', async () => {
    const { rows } = await app.database.executeSql(`
      select c.relname as table, c.relrowsecurity as rls,
             exists (select 1 from pg_policy p where p.polrelid = c.oid) as has_policy
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and (exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
             or c.relname = 'organizations')
      order by 1`);
    const tables = rows as { table: string; rls: boolean; has_policy: boolean }[];
    expect(tables.map((t) => t.table)).toEqual(
      expect.arrayContaining([
        'organizations',
        'users',
        'sessions',
        'api_keys',
        'audit_events',
        'invitations',
      ]),
    );
    expect(tables.filter((t) => !t.rls || !t.has_policy)).toEqual([]);
  });

  it('hides other tenants’ rows from a query that forgets its tenant filter', async () => {
    const a = await createTenant(app);
    const b = await createTenant(app);
    const seen = await app.database.tenant(a.organizationId, (tx) =>
      tx.select({ tenantId: users.tenantId }).from(users),
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((r) => r.tenantId))).toEqual(new Set([a.organizationId]));
    expect(seen.map((r) => r.tenantId)).not.toContain(b.organizationId);
  });

  it('refuses to write a row into another tenant', async () => {
    const a = await createTenant(app);
    const b = await createTenant(app);
    await expect(
      app.database.tenant(a.organizationId, (tx) =>
        tx.execute(sql`update users set first_name = 'Mallory' where tenant_id = ${b.organizationId}`),
      ),
    ).resolves.toBeDefined();
    const bOwner = await app.services.users.getUser(b.organizationId, b.ownerId);
    expect(bOwner.firstName).toBe('Olive');
    await expect(
      app.database.tenant(a.organizationId, (tx) =>
        tx.execute(
          sql`insert into audit_events (id, tenant_id, occurred_at, actor_type, action) values (gen_random_uuid(), ${b.organizationId}, now(), 'system', 'forged')`,
        ),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/row-level security/) } });
  });

  it('keeps the audit log append-only for the application role', async () => {
    const a = await createTenant(app);
    await expect(
      app.database.tenant(a.organizationId, (tx) =>
        tx.execute(sql`delete from audit_events where tenant_id = ${a.organizationId}`),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied/) } });
  });

  it('runs tenant transactions as a role that cannot bypass RLS', async () => {
    const a = await createTenant(app);
    const rows = await app.database.tenant(a.organizationId, (tx) =>
      tx.execute(
        sql`select current_user as who, (select rolbypassrls or rolsuper from pg_roles where rolname = current_user) as bypass`,
      ),
    );
    // Both drivers return a result with `rows`.
    expect((rows as { rows: unknown[] }).rows[0]).toEqual({ who: 'switchboard_app', bypass: false });
  });
});
