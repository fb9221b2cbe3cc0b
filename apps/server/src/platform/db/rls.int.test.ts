import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { SwitchboardApp } from '../../app.ts';
import { users } from '../../modules/users/users.tables.ts';
import { createTenant, createTestApp, engine } from '../../../test/harness.ts';

/**
 * Tables of the public schema that belong to the platform, not to a tenant: they have no RLS, and
 * the application role (tenant transactions) cannot read them. Each needs a reason; a table that
 * is neither listed here nor tenant-scoped fails the schema test.
 */
const PLATFORM_TABLES: Record<string, string> = {
  auth_throttle: 'login and reset throttles keyed by email or IP, checked before any tenant is known',
  mail_outbox:
    'platform mail outbox: tenant transactions may only INSERT; delivered by the job and read by the operator console; organization_id is informative, not a tenant key',
  operators: 'platform operators stand above every tenant',
  operator_sessions: 'sessions of platform operators, looked up by token hash before anything else',
  webhook_receipts: 'raw WhatsApp webhooks, stored before (and whatever) tenant their numbers resolve to',
  send_pacing: 'send slots per WhatsApp number and number-client pair, shared by every instance',
  webhook_unknown_numbers: 'webhooks for numbers no tenant owns: tenant-less by definition',
};

/** What the application role may do on a platform table (nothing unless listed). */
const APP_ROLE_MAY: Record<string, string[]> = {
  // The transactional outbox: mail commits with the change that causes it (ADR 0003).
  mail_outbox: ['INSERT'],
};

/**
 * True when a policy expression (as PostgreSQL deparses it) compares the tenant key column to the
 * app.tenant_id setting, and has no OR that could widen it; further AND-ed conditions only narrow.
 */
function keyedToTenant(expression: string | null, key: string): boolean {
  if (expression === null) return false;
  const comparison = `${key} = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid`;
  return expression.includes(`(${comparison})`) && !/\bOR\b/i.test(expression);
}

type RunSql = (text: string) => Promise<{ rows: unknown[] }>;

/** Every way the public schema breaks the tenancy rule (empty when it holds), and the tables seen. */
async function schemaProblems(run: RunSql): Promise<{ problems: string[]; tables: string[] }> {
  const { rows: relations } = await run(`
    select c.relname as table, c.relkind as kind, c.relrowsecurity as rls,
           exists (select 1 from pg_attribute a
                   where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as has_tenant_id
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
    order by 1`);
  const { rows: policyRows } = await run(`
    select tablename as table, policyname as name, cmd, qual, with_check,
           ('switchboard_app' = any(roles) or 'public' = any(roles)) as applies_to_app
    from pg_policies where schemaname = 'public'`);
  const tables = relations as { table: string; kind: string; rls: boolean; has_tenant_id: boolean }[];
  const policies = policyRows as {
    table: string;
    name: string;
    cmd: string;
    qual: string | null;
    with_check: string | null;
    applies_to_app: boolean;
  }[];

  const problems: string[] = [];
  for (const t of tables) {
    const tenantKey = t.table === 'organizations' ? 'id' : t.has_tenant_id ? 'tenant_id' : undefined;
    if (PLATFORM_TABLES[t.table] !== undefined) {
      if (tenantKey) problems.push(`${t.table}: listed as a platform table but has ${tenantKey}`);
      continue;
    }
    if (!tenantKey) {
      problems.push(
        `${t.table}: unclassified; give it tenant_id, RLS and a tenant policy, or list it in PLATFORM_TABLES with a reason`,
      );
      continue;
    }
    if (t.kind !== 'r' && t.kind !== 'p')
      problems.push(`${t.table}: tenant data in a relation of kind ${t.kind}`);
    if (!t.rls) problems.push(`${t.table}: row-level security is not enabled`);
    const own = policies.filter((p) => p.table === t.table);
    if (!own.some((p) => p.applies_to_app && p.cmd === 'ALL' && keyedToTenant(p.qual, tenantKey))) {
      problems.push(
        `${t.table}: no policy for switchboard_app whose USING compares ${tenantKey} to app.tenant_id`,
      );
    }
    // Permissive policies are OR-ed: one that is not keyed to the tenant would open the table.
    for (const p of own) {
      if (p.qual !== null && !keyedToTenant(p.qual, tenantKey))
        problems.push(`${t.table}: policy ${p.name} USING is not keyed to app.tenant_id: ${p.qual}`);
      if (p.with_check !== null && !keyedToTenant(p.with_check, tenantKey))
        problems.push(
          `${t.table}: policy ${p.name} WITH CHECK is not keyed to app.tenant_id: ${p.with_check}`,
        );
    }
  }
  for (const name of Object.keys(PLATFORM_TABLES)) {
    if (!tables.some((t) => t.table === name))
      problems.push(`${name}: listed in PLATFORM_TABLES but does not exist`);
  }
  return { problems, tables: tables.map((t) => t.table) };
}

describe(`row-level security (${engine})`, () => {
  let app: SwitchboardApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app.close());

  it('classifies every table of the public schema: tenant-scoped with RLS and a tenant policy, or a listed platform table', async () => {
    const { problems, tables } = await schemaProblems((text) => app.database.executeSql(text));
    expect(problems).toEqual([]);
    // The sweep saw the tables it must (a query that matched nothing would pass vacuously).
    expect(tables).toEqual(
      expect.arrayContaining(['organizations', 'users', 'sessions', 'api_keys', 'audit_events', 'messages']),
    );
  });

  it('fails the schema check for an unclassified table, a tenant table without RLS, and policies not keyed to the tenant', async () => {
    const rollback = new Error('rollback');
    let found: string[] = [];
    await expect(
      app.database.system(async (tx) => {
        // Both drivers answer with `rows`.
        const run = async (text: string) => (await tx.execute(sql.raw(text))) as { rows: unknown[] };
        await run('create table rls_probe_plain (id int)');
        await run('create table rls_probe_no_rls (id int, tenant_id uuid)');
        await run('create table rls_probe_open (id int, tenant_id uuid)');
        await run('alter table rls_probe_open enable row level security');
        await run(
          `create policy rls_probe_open_all on rls_probe_open for all to switchboard_app using (true)`,
        );
        await run('create table rls_probe_or (id int, tenant_id uuid)');
        await run('alter table rls_probe_or enable row level security');
        await run(
          `create policy rls_probe_or_all on rls_probe_or for all to switchboard_app
           using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid or id = 0)`,
        );
        found = (await schemaProblems(run)).problems;
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect([...found].sort()).toEqual([
      expect.stringMatching(/^rls_probe_no_rls: no policy for switchboard_app/),
      expect.stringMatching(/^rls_probe_no_rls: row-level security is not enabled/),
      expect.stringMatching(/^rls_probe_open: no policy for switchboard_app/),
      expect.stringMatching(
        /^rls_probe_open: policy rls_probe_open_all USING is not keyed to app\.tenant_id/,
      ),
      expect.stringMatching(/^rls_probe_or: no policy for switchboard_app/),
      expect.stringMatching(/^rls_probe_or: policy rls_probe_or_all USING is not keyed to app\.tenant_id/),
      expect.stringMatching(/^rls_probe_plain: unclassified/),
    ]);
  });

  it('gives the application role nothing on platform tables beyond what their reasons allow', async () => {
    const { rows } = await app.database.executeSql(`
      select c.relname as table,
             array_remove(array[
               case when has_any_column_privilege('switchboard_app', c.oid, 'SELECT') then 'SELECT' end,
               case when has_any_column_privilege('switchboard_app', c.oid, 'INSERT') then 'INSERT' end,
               case when has_any_column_privilege('switchboard_app', c.oid, 'UPDATE') then 'UPDATE' end,
               case when has_table_privilege('switchboard_app', c.oid, 'DELETE') then 'DELETE' end,
               case when has_table_privilege('switchboard_app', c.oid, 'TRUNCATE') then 'TRUNCATE' end
             ], null)::text as privileges
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')`);
    const granted = Object.fromEntries(
      (rows as { table: string; privileges: string }[]).map((r) => [r.table, r.privileges]),
    );
    for (const name of Object.keys(PLATFORM_TABLES)) {
      expect(granted[name], name).toBe(`{${(APP_ROLE_MAY[name] ?? []).join(',')}}`);
    }
  });

  it('keeps application tables in the public schema, and the application role out of the others', async () => {
    const { rows } = await app.database.executeSql(`
      select distinct n.nspname as schema, has_schema_privilege('switchboard_app', n.oid, 'USAGE') as usage
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'v', 'm', 'f')
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
      order by 1`);
    const schemas = rows as { schema: string; usage: boolean }[];
    // drizzle: the migration journal; pgboss: the job queue, used only through system connections.
    expect(schemas.map((s) => s.schema).filter((s) => !['public', 'drizzle', 'pgboss'].includes(s))).toEqual(
      [],
    );
    expect(schemas.filter((s) => s.schema !== 'public' && s.usage)).toEqual([]);
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
