import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import type { SwitchboardApp } from '../../app.ts';
import { ManualClock } from '../../platform/clock.ts';
import { hashToken } from '../../platform/security/tokens.ts';
import { numberLookup } from './numbers.repo.ts';
import { whatsappNumbers } from './whatsapp.tables.ts';
import {
  addUser,
  anonymous,
  createTenant,
  createTestApp,
  engine,
  withApiKey,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';

interface Problem {
  code: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

interface NumberView {
  id: string;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  purpose: string;
  graphBaseUrl: string;
  greetingMessage: string | null;
  awayMessage: string | null;
  autoReplyMessage: string | null;
  businessHours: { timeZone: string; intervals: { day: number; start: string; end: string }[] } | null;
  status: string;
  webhookUrl: string;
  createdAt: string;
  updatedAt: string;
}

interface AuditItem {
  action: string;
  targetId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const problem = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json<Problem>();
};

/** A random numeric id, as Meta's are, so test files and runs never collide on the global key. */
const metaId = () => `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;

function numberInput(overrides: Record<string, unknown> = {}) {
  return {
    phoneNumberId: metaId(),
    wabaId: metaId(),
    displayPhoneNumber: '+1 555 010 0199',
    accessToken: `EAAG-access-${randomBytes(12).toString('hex')}`,
    appSecret: `app-secret-${randomBytes(12).toString('hex')}`,
    verifyToken: `verify-${randomBytes(12).toString('hex')}`,
    purpose: 'Pre-sales',
    ...overrides,
  };
}

const URL_BASE = '/api/v1/whatsapp/numbers';

describe(`WhatsApp numbers (${engine})`, () => {
  let app: SwitchboardApp;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    app = await createTestApp({ clock });
  });
  afterAll(async () => app.close());

  const connect = (caller: Caller, payload: Record<string, unknown>) =>
    caller.request({ method: 'POST', url: URL_BASE, payload });

  async function connected(caller: Caller, overrides: Record<string, unknown> = {}) {
    const input = numberInput(overrides);
    const res = await connect(caller, input);
    expect(res.statusCode, res.body).toBe(201);
    return { input, view: res.json<NumberView>(), res };
  }

  const list = async (caller: Caller) => {
    const res = await caller.request({ method: 'GET', url: URL_BASE });
    expect(res.statusCode, res.body).toBe(200);
    return { items: res.json<{ items: NumberView[] }>().items, body: res.body };
  };

  const rowOf = async (tenant: TestTenant, id: string) => {
    const [row] = await app.database.tenant(tenant.organizationId, (tx) =>
      tx.select().from(whatsappNumbers).where(eq(whatsappNumbers.id, id)),
    );
    return row;
  };

  const auditOf = async (tenant: TestTenant) => {
    const res = await tenant.owner.request({ method: 'GET', url: '/api/v1/audit-log?limit=200' });
    expect(res.statusCode).toBe(200);
    return { items: res.json<{ items: AuditItem[] }>().items, body: res.body };
  };

  it('connects a number (201), never shows its secrets, and stores them sealed', async () => {
    const tenant = await createTenant(app);
    const businessHours = {
      timeZone: 'America/Sao_Paulo',
      intervals: [
        { day: 1, start: '09:00', end: '18:00' },
        { day: 6, start: '10:00', end: '24:00' },
      ],
    };
    const { input, view, res } = await connected(tenant.owner, {
      greetingMessage: 'Hello! How can we help?',
      businessHours,
    });
    expect(view).toEqual({
      id: expect.any(String),
      phoneNumberId: input.phoneNumberId,
      wabaId: input.wabaId,
      displayPhoneNumber: input.displayPhoneNumber,
      purpose: 'Pre-sales',
      graphBaseUrl: 'https://graph.facebook.com',
      greetingMessage: 'Hello! How can we help?',
      awayMessage: null,
      autoReplyMessage: null,
      businessHours,
      defaultTeamId: null,
      status: 'active',
      statusReason: null,
      throughputMps: 80,
      sendReadReceipts: true,
      webhookUrl: 'http://127.0.0.1:3000/webhooks/whatsapp',
      createdAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
    });
    for (const secret of [
      input.accessToken,
      input.appSecret,
      input.verifyToken,
      hashToken(input.verifyToken),
    ]) {
      expect(res.body).not.toContain(secret);
    }
    expect(res.body).not.toMatch(/accessToken|appSecret|verifyToken|v1\./);

    const row = (await rowOf(tenant, view.id))!;
    expect(row.accessTokenEnc).toMatch(/^v1\./);
    expect(row.appSecretEnc).toMatch(/^v1\./);
    expect(row.verifyTokenHash).toBe(hashToken(input.verifyToken));
    const stored = JSON.stringify(row);
    for (const secret of [input.accessToken, input.appSecret, input.verifyToken]) {
      expect(stored).not.toContain(secret);
    }
    expect(app.services.numbers.decryptCredentials(row)).toEqual({
      accessToken: input.accessToken,
      appSecret: input.appSecret,
    });

    const listed = await list(tenant.owner);
    expect(listed.items).toEqual([view]);
    for (const secret of [input.accessToken, input.appSecret, input.verifyToken, row.accessTokenEnc]) {
      expect(listed.body).not.toContain(secret);
    }
    const one = await tenant.owner.request({ method: 'GET', url: `${URL_BASE}/${view.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(view);
  });

  it('accepts a simulator origin and normalizes it; refuses a versioned or non-http URL', async () => {
    const tenant = await createTenant(app);
    const { view } = await connected(tenant.owner, { graphBaseUrl: 'http://127.0.0.1:4123/' });
    expect(view.graphBaseUrl).toBe('http://127.0.0.1:4123');
    for (const graphBaseUrl of ['https://graph.facebook.com/v24.0', 'ftp://graph.example', 'not a url']) {
      const res = await connect(tenant.owner, numberInput({ graphBaseUrl }));
      expect(res.statusCode, graphBaseUrl).toBe(400);
      expect(problem(res).errors!.map((e) => e.path)).toEqual(['body.graphBaseUrl']);
    }
  });

  it('finds numbers for the intake by phone number id, WABA id and verify token hash', async () => {
    const tenant = await createTenant(app);
    const a = await connected(tenant.owner);
    clock.advance(1000); // rows come back oldest first
    const b = await connected(tenant.owner, { wabaId: a.input.wabaId });
    const lookups = await app.database.system(async (tx) => {
      const lookup = numberLookup(tx);
      return {
        byPhone: await lookup.byPhoneNumberIds([a.input.phoneNumberId, 'nobody', a.input.phoneNumberId]),
        byWaba: await lookup.byWabaIds([a.input.wabaId]),
        byVerify: await lookup.byVerifyTokenHash(hashToken(b.input.verifyToken)),
        none: await lookup.byPhoneNumberIds([]),
      };
    });
    expect(lookups.byPhone.map((r) => r.id)).toEqual([a.view.id]);
    expect(lookups.byPhone[0]!.tenantId).toBe(tenant.organizationId);
    expect(lookups.byWaba.map((r) => r.id)).toEqual([a.view.id, b.view.id]);
    expect(lookups.byVerify.map((r) => r.id)).toEqual([b.view.id]);
    expect(lookups.none).toEqual([]);
  });

  it('enforces the plan’s number limit (403 plan_limit_reached)', async () => {
    const tenant = await createTenant(app, 'free');
    await connected(tenant.owner);
    const res = await connect(tenant.owner, numberInput());
    expect(res.statusCode).toBe(403);
    expect(problem(res)).toMatchObject({ code: 'plan_limit_reached', detail: expect.stringContaining('1') });
    expect((await list(tenant.owner)).items).toHaveLength(1);
  });

  it('holds the limit under concurrent connects', async () => {
    const tenant = await createTenant(app, 'starter'); // 2 numbers
    const results = await Promise.all([0, 1, 2, 3].map(() => connect(tenant.owner, numberInput())));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 201, 403, 403]);
    expect((await list(tenant.owner)).items).toHaveLength(2);
  });

  it('refuses a phone number id connected by any organization (409), without naming it', async () => {
    const holder = await createTenant(app);
    const { input } = await connected(holder.owner);
    const other = await createTenant(app);
    const res = await connect(other.owner, numberInput({ phoneNumberId: input.phoneNumberId }));
    expect(res.statusCode).toBe(409);
    const body = problem(res);
    expect(body).toMatchObject({
      code: 'conflict',
      detail: expect.stringContaining('already connected'),
      errors: [{ path: 'body.phoneNumberId', message: expect.any(String) }],
    });
    expect(res.body).not.toContain(holder.organizationId);
    expect(res.body).not.toContain(holder.ownerEmail);
    expect((await list(other.owner)).items).toEqual([]);

    // The same organization connecting it twice is a conflict too.
    const again = await connect(holder.owner, numberInput({ phoneNumberId: input.phoneNumberId }));
    expect(again.statusCode).toBe(409);
    expect(problem(again).code).toBe('conflict');
  });

  it('validates the request, listing each invalid path', async () => {
    const tenant = await createTenant(app);
    const res = await connect(
      tenant.owner,
      numberInput({
        graphBaseUrl: 'graph.facebook.com',
        businessHours: {
          timeZone: 'Mars/Olympus_Mons',
          intervals: [
            { day: 1, start: '18:00', end: '09:00' },
            { day: 2, start: '09:00', end: '09:00' },
            { day: 8, start: '9:00', end: '25:00' },
          ],
        },
        admin: true,
      }),
    );
    expect(res.statusCode).toBe(400);
    const body = problem(res);
    expect(body.code).toBe('validation_failed');
    expect(body.errors!.map((e) => e.path).sort()).toEqual(
      [
        'body',
        'body.graphBaseUrl',
        'body.businessHours.timeZone',
        'body.businessHours.intervals.0.end',
        'body.businessHours.intervals.1.end',
        'body.businessHours.intervals.2.day',
        'body.businessHours.intervals.2.start',
        'body.businessHours.intervals.2.end',
      ].sort(),
    );
    expect(body.errors!.find((e) => e.path === 'body')!.message).toMatch(/admin/);

    const missing = await connect(tenant.owner, { purpose: '  ' });
    expect(missing.statusCode).toBe(400);
    expect(
      problem(missing)
        .errors!.map((e) => e.path)
        .sort(),
    ).toEqual(
      [
        'body.phoneNumberId',
        'body.wabaId',
        'body.displayPhoneNumber',
        'body.accessToken',
        'body.appSecret',
        'body.verifyToken',
        'body.purpose',
      ].sort(),
    );
    expect((await list(tenant.owner)).items).toEqual([]);
  });

  it('lets agents read numbers but not connect, change or disconnect them (403)', async () => {
    const tenant = await createTenant(app);
    const { view } = await connected(tenant.owner);
    const agent = await addUser(app, tenant, 'agent');
    expect((await list(agent.caller)).items.map((n) => n.purpose)).toEqual(['Pre-sales']);
    expect((await agent.caller.request({ method: 'GET', url: `${URL_BASE}/${view.id}` })).statusCode).toBe(
      200,
    );

    const denied = await connect(agent.caller, numberInput());
    expect(denied.statusCode).toBe(403);
    expect(problem(denied)).toMatchObject({
      code: 'forbidden',
      detail: expect.stringContaining('whatsapp.manage'),
    });
    const patch = await agent.caller.request({
      method: 'PATCH',
      url: `${URL_BASE}/${view.id}`,
      payload: { purpose: 'Mine' },
    });
    expect(patch.statusCode).toBe(403);
    const del = await agent.caller.request({ method: 'DELETE', url: `${URL_BASE}/${view.id}` });
    expect(del.statusCode).toBe(403);

    const admin = await addUser(app, tenant, 'admin');
    const ok = await admin.caller.request({
      method: 'PATCH',
      url: `${URL_BASE}/${view.id}`,
      payload: { purpose: 'Premium support' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await anonymous(app).request({ method: 'GET', url: URL_BASE })).statusCode).toBe(401);
  });

  it('works with an API key holding whatsapp.manage, and needs the scope', async () => {
    const tenant = await createTenant(app);
    const makeKey = async (scopes: string[]) => {
      const res = await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: { name: 'Provisioner', scopes },
      });
      expect(res.statusCode, res.body).toBe(201);
      return withApiKey(app, res.json<{ key: string }>().key);
    };
    const manager = await makeKey(['whatsapp.manage', 'organization.read']);
    const { view } = await connected(manager);
    expect((await list(manager)).items.map((n) => n.id)).toEqual([view.id]);
    const reader = await makeKey(['organization.read']);
    expect((await list(reader)).items.map((n) => n.id)).toEqual([view.id]);
    expect((await connect(reader, numberInput())).statusCode).toBe(403);
  });

  it('updates settings, rotates credentials and clears messages with null', async () => {
    const tenant = await createTenant(app);
    const { input, view } = await connected(tenant.owner, {
      greetingMessage: 'Hi there',
      awayMessage: 'We are closed',
      businessHours: { timeZone: 'UTC', intervals: [{ day: 1, start: '09:00', end: '17:00' }] },
    });
    clock.advance(60_000);
    const newToken = `EAAG-rotated-${randomBytes(12).toString('hex')}`;
    const newVerify = `verify-rotated-${randomBytes(12).toString('hex')}`;
    const res = await tenant.owner.request({
      method: 'PATCH',
      url: `${URL_BASE}/${view.id}`,
      payload: {
        purpose: 'Premium support',
        greetingMessage: null,
        businessHours: null,
        autoReplyMessage: 'Thanks, we will answer shortly.',
        graphBaseUrl: 'http://localhost:4123',
        accessToken: newToken,
        verifyToken: newVerify,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const updated = res.json<NumberView>();
    expect(updated).toEqual({
      ...view,
      purpose: 'Premium support',
      greetingMessage: null,
      awayMessage: 'We are closed',
      autoReplyMessage: 'Thanks, we will answer shortly.',
      businessHours: null,
      graphBaseUrl: 'http://localhost:4123',
      updatedAt: clock.now().toISOString(),
    });
    expect(res.body).not.toContain(newToken);
    expect(res.body).not.toContain(newVerify);

    const row = (await rowOf(tenant, view.id))!;
    expect(app.services.numbers.decryptCredentials(row)).toEqual({
      accessToken: newToken,
      appSecret: input.appSecret,
    });
    expect(row.verifyTokenHash).toBe(hashToken(newVerify));

    // Unknown fields and the immutable ids are refused.
    const bad = await tenant.owner.request({
      method: 'PATCH',
      url: `${URL_BASE}/${view.id}`,
      payload: { phoneNumberId: metaId(), greetingMessage: '', businessHours: { timeZone: 'UTC' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      problem(bad)
        .errors!.map((e) => e.path)
        .sort(),
    ).toEqual(['body', 'body.businessHours.intervals', 'body.greetingMessage']);
  });

  it('puts a number flagged for attention back to active when its credentials are rotated', async () => {
    const tenant = await createTenant(app);
    const { view } = await connected(tenant.owner);
    await app.database.tenant(tenant.organizationId, (tx) =>
      tx.update(whatsappNumbers).set({ status: 'needs_attention' }).where(eq(whatsappNumbers.id, view.id)),
    );
    const renamed = await tenant.owner.request({
      method: 'PATCH',
      url: `${URL_BASE}/${view.id}`,
      payload: { purpose: 'Support' },
    });
    expect(renamed.json<NumberView>().status).toBe('needs_attention');
    const rotated = await tenant.owner.request({
      method: 'PATCH',
      url: `${URL_BASE}/${view.id}`,
      payload: { accessToken: 'EAAG-fresh-token' },
    });
    expect(rotated.json<NumberView>().status).toBe('active');
  });

  it('disconnects a number (204), after which it is gone and its id can be connected again', async () => {
    const tenant = await createTenant(app, 'free');
    const { input, view } = await connected(tenant.owner);
    const del = await tenant.owner.request({ method: 'DELETE', url: `${URL_BASE}/${view.id}` });
    expect(del.statusCode).toBe(204);
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await tenant.owner.request({
        method,
        url: `${URL_BASE}/${view.id}`,
        ...(method === 'PATCH' ? { payload: { purpose: 'x' } } : {}),
      });
      expect(res.statusCode, method).toBe(404);
      expect(problem(res).code).toBe('not_found');
    }
    expect((await list(tenant.owner)).items).toEqual([]);
    // The free plan's single slot is free again, and the id is no longer taken.
    const other = await createTenant(app, 'free');
    await connected(other.owner, { phoneNumberId: input.phoneNumberId });
  });

  it('audits connect, update and disconnect, with no secret in the log', async () => {
    const tenant = await createTenant(app);
    const { input, view } = await connected(tenant.owner, { greetingMessage: 'Hello' });
    const newSecret = `app-secret-rotated-${randomBytes(12).toString('hex')}`;
    clock.advance(1000); // the log lists newest first
    await tenant.owner.request({
      method: 'PATCH',
      url: `${URL_BASE}/${view.id}`,
      payload: { greetingMessage: null, appSecret: newSecret, verifyToken: 'verify-rotated-token' },
    });
    clock.advance(1000);
    await tenant.owner.request({ method: 'DELETE', url: `${URL_BASE}/${view.id}` });

    const { items, body } = await auditOf(tenant);
    const mine = items.filter((e) => e.targetId === view.id);
    expect(mine.map((e) => e.action)).toEqual([
      'whatsapp_number.disconnected',
      'whatsapp_number.updated',
      'whatsapp_number.connected',
    ]);
    const [disconnected, updated, connectedEntry] = mine;
    expect(connectedEntry!.after).toMatchObject({
      phoneNumberId: input.phoneNumberId,
      purpose: 'Pre-sales',
      greetingMessage: 'Hello',
    });
    expect(updated).toMatchObject({
      before: { greetingMessage: 'Hello' },
      after: { greetingMessage: null, rotated: ['appSecret', 'verifyToken'] },
    });
    expect(disconnected!.before).toMatchObject({ phoneNumberId: input.phoneNumberId });
    for (const secret of [
      input.accessToken,
      input.appSecret,
      input.verifyToken,
      newSecret,
      'verify-rotated-token',
      hashToken(input.verifyToken),
    ]) {
      expect(body).not.toContain(secret);
    }
    expect(body).not.toMatch(/"v1\./);
  });
});
