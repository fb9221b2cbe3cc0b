// Builds a real app (real database, real job queue) for integration tests, on the engine the
// test project names. Each test makes its own tenant, so tests never see each other's data.
import { readFileSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { inject } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { parseConfig } from '../src/config.ts';
import { createApp, type SwitchboardApp } from '../src/app.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Database } from '../src/platform/db/database.ts';
import { openPglite } from '../src/platform/db/pglite.ts';
import { openPostgres } from '../src/platform/db/postgres.ts';
import type { MailTransport } from '../src/platform/mail/mailer.ts';
import type { DeliveryOptions } from '../src/modules/outbound/delivery.ts';
import { systemActor } from '../src/platform/auth/principal.ts';
import type { PlanId } from '../src/modules/organizations/plans.ts';
import { createScratchDatabase } from './cli-process-support.ts';
import { prepareTestDatabase } from './global-setup.ts';

export type Engine = 'pglite' | 'postgres';
export const engine: Engine = process.env['SWITCHBOARD_TEST_ENGINE'] === 'postgres' ? 'postgres' : 'pglite';

export async function openTestDatabase(): Promise<Database> {
  if (engine === 'postgres') {
    return openPostgres({ url: inject('postgresUrl'), poolMax: 4, statementTimeoutMs: 10_000 });
  }
  const template = readFileSync(inject('pgliteTemplate'));
  return openPglite({ loadDataDir: new Blob([template]) });
}

export interface TestAppOptions {
  clock?: Clock;
  mailTransport?: MailTransport;
  env?: Record<string, string>;
  /** false: an API-only instance that works no jobs (cross-instance tests). */
  worker?: boolean;
  delivery?: Partial<DeliveryOptions>;
  /**
   * PostgreSQL: a migrated database of the app's own, dropped when it closes. For tests of
   * platform-wide work (a scheduled job over every organization), which on the shared database
   * would reach other test files' tenants and wait behind their jobs. PGlite apps always have one.
   */
  ownDatabase?: boolean;
}

async function openOwnDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const scratch = await createScratchDatabase(inject('postgresUrl'), 'switchboard_own');
  const database = openPostgres({ url: scratch.url, poolMax: 4, statementTimeoutMs: 10_000 });
  await prepareTestDatabase(database);
  return { database, drop: () => scratch.drop() };
}

export async function createTestApp(options: TestAppOptions = {}): Promise<SwitchboardApp> {
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    ...options.env,
  });
  const own = options.ownDatabase && engine === 'postgres' ? await openOwnDatabase() : undefined;
  const app = await createApp({
    config,
    database: own?.database ?? (await openTestDatabase()),
    secretKey: 'test-secret-key-that-is-long-enough-0123456789',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.mailTransport ? { mailTransport: options.mailTransport } : {}),
    ...(options.worker === undefined ? {} : { worker: options.worker }),
    ...(options.delivery ? { delivery: options.delivery } : {}),
  });
  await app.start();
  await app.http.ready();
  if (!own) return app;
  return {
    ...app,
    async close() {
      await app.close();
      await own.drop();
    },
  };
}

export const PASSWORD = 'correct horse battery';

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(5).toString('hex')}@example.test`;
}

/** A distinct loopback address per caller, so per-IP throttles of parallel tests never collide. */
export function loopbackIp(): string {
  return `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;
}

export interface Caller {
  /** Sends a request as this caller: its cookie or API key, CSRF header and IP are added. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  ip: string;
}

export interface TestTenant {
  organizationId: string;
  ownerId: string;
  ownerEmail: string;
  owner: Caller;
}

export function anonymous(app: SwitchboardApp, ip = loopbackIp()): Caller {
  return { ip, request: (o) => app.http.inject({ remoteAddress: ip, ...o }) };
}

export async function signIn(
  app: SwitchboardApp,
  email: string,
  password = PASSWORD,
  extra: Record<string, string> = {},
): Promise<Caller & { csrfToken: string; cookie: string }> {
  const ip = loopbackIp();
  const res = await app.http.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: ip,
    payload: { email, password, ...extra },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sb_session');
  if (!cookie) throw new Error('no session cookie');
  const { csrfToken } = res.json<{ csrfToken: string }>();
  return {
    ip,
    csrfToken,
    cookie: cookie.value,
    request: (o) =>
      app.http.inject({
        remoteAddress: ip,
        ...o,
        cookies: { sb_session: cookie.value },
        headers: { 'x-csrf-token': csrfToken, ...(o.headers as Record<string, string> | undefined) },
      }),
  };
}

/** A new API key of the organization with these scopes (created by its owner), as a caller. */
export async function apiKeyCaller(
  app: SwitchboardApp,
  tenant: TestTenant,
  scopes: readonly string[],
  name = 'test key',
): Promise<Caller> {
  const res = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/api-keys',
    payload: { name, scopes },
  });
  if (res.statusCode !== 201) throw new Error(`API key: ${res.statusCode} ${res.body}`);
  return withApiKey(app, res.json<{ key: string }>().key);
}

export function withApiKey(app: SwitchboardApp, key: string): Caller {
  const ip = loopbackIp();
  return {
    ip,
    request: (o) =>
      app.http.inject({
        remoteAddress: ip,
        ...o,
        headers: { authorization: `Bearer ${key}`, ...(o.headers as Record<string, string> | undefined) },
      }),
  };
}

/** A new organization with a signed-in owner. */
export async function createTenant(app: SwitchboardApp, plan: PlanId = 'pro'): Promise<TestTenant> {
  const ownerEmail = uniqueEmail('owner');
  const { organization, owner } = await app.services.organizations.createOrganization(
    {
      name: `Org ${ownerEmail}`,
      plan,
      owner: { email: ownerEmail, password: PASSWORD, firstName: 'Olive', lastName: 'Owner' },
    },
    systemActor,
  );
  return {
    organizationId: organization.id,
    ownerId: owner.id,
    ownerEmail,
    owner: await signIn(app, ownerEmail),
  };
}

/** Adds a user with a role directly (bypassing invitations) and signs them in. */
export async function addUser(app: SwitchboardApp, tenant: TestTenant, role: 'admin' | 'agent') {
  const email = uniqueEmail(role);
  const user = await app.services.users.createUser(
    tenant.organizationId,
    { email, password: PASSWORD, firstName: 'Test', lastName: role, role },
    systemActor,
  );
  return { id: user.id, email, caller: await signIn(app, email) };
}
