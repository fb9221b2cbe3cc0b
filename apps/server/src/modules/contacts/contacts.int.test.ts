import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  apiKeyCaller,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { connectNumber, type TestNumber } from '../../../test/whatsapp-support.ts';
import { customer, inboundText, type StoredMessage } from '../../../test/inbox-support.ts';

interface Contact {
  id: string;
  name: string | null;
  profileName: string | null;
  waId: string;
  phoneE164: string;
  attributes: Record<string, unknown>;
}
interface Page {
  items: Contact[];
  nextCursor: string | null;
}

describe(`contacts API (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let number: TestNumber;
  const people: { waId: string; message: StoredMessage }[] = [];
  const names = ['Ana Souza', 'João 100%', 'Maria_Lima', 'Pedro Alves'];
  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    number = await connectNumber(tenant);
    for (const name of names) {
      const waId = customer();
      people.push({
        waId,
        message: await inboundText(app, tenant.organizationId, number, waId, 'oi', { name }),
      });
    }
  });
  afterAll(async () => app.close());

  const list = async (caller: Caller, query = '') => {
    const res = await caller.request({ method: 'GET', url: `/api/v1/contacts${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page>();
  };
  const patch = (id: string, payload: object, caller: Caller = tenant.owner) =>
    caller.request({ method: 'PATCH', url: `/api/v1/contacts/${id}`, payload });
  const profileNames = (p: Page) => p.items.map((c) => c.profileName);

  it('lists newest first and pages without duplicates', async () => {
    const all = await list(tenant.owner);
    expect(profileNames(all)).toEqual([...names].reverse());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(tenant.owner, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((c) => c.id));
  });

  it('searches names and phone digits, case-insensitively, with wildcards taken literally', async () => {
    expect(profileNames(await list(tenant.owner, '?q=souza'))).toEqual(['Ana Souza']);
    expect(profileNames(await list(tenant.owner, '?q=100%25'))).toEqual(['João 100%']);
    expect(profileNames(await list(tenant.owner, '?q=a_l'))).toEqual(['Maria_Lima']);
    expect(profileNames(await list(tenant.owner, '?q=%25'))).toEqual(['João 100%']);
    expect(profileNames(await list(tenant.owner, '?q=o_1'))).toEqual([]);
    const pedro = people[3]!.waId;
    const formatted = `+${pedro.slice(0, 2)} (${pedro.slice(2, 4)}) ${pedro.slice(4)}`;
    expect(profileNames(await list(tenant.owner, `?q=${encodeURIComponent(formatted)}`))).toEqual([
      'Pedro Alves',
    ]);
    expect(profileNames(await list(tenant.owner, `?q=${pedro.slice(-6)}`))).toEqual(['Pedro Alves']);
  });

  it('renames a contact and changes its attributes key by key', async () => {
    const id = people[0]!.message.contactId;
    for (const [key, type] of [
      ['plan', 'text'],
      ['seats', 'number'],
      ['vip', 'boolean'],
    ] as const) {
      const res = await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/contact-attributes',
        payload: { key, label: key, type },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const res = await patch(id, { name: 'Ana S.', attributes: { plan: 'gold', seats: 3, vip: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Ana S.',
      profileName: 'Ana Souza',
      attributes: { plan: 'gold', seats: 3, vip: true },
      labels: [],
    });
    expect(profileNames(await list(tenant.owner, '?q=ana%20s.'))).toEqual(['Ana Souza']);
    // Keys not sent are kept; null removes one.
    const changed = await patch(id, { attributes: { plan: 'silver', vip: null } });
    expect(changed.json<Contact>().attributes).toEqual({ plan: 'silver', seats: 3 });
    const cleared = await patch(id, { name: null });
    expect(cleared.json()).toMatchObject({ name: null, attributes: { plan: 'silver', seats: 3 } });
    const got = await tenant.owner.request({ method: 'GET', url: `/api/v1/contacts/${id}` });
    expect(got.json()).toMatchObject({ id, waId: people[0]!.waId, phoneE164: `+${people[0]!.waId}` });
  });

  it('refuses invalid changes and parameters, naming each path', async () => {
    const id = people[1]!.message.contactId;
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    const paths = async (payload: object) =>
      (await patch(id, payload)).json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(await paths({ attributes: many })).toEqual(['body.attributes']);
    expect(await paths({ attributes: { ['x'.repeat(65)]: 1 } })).toEqual([
      `body.attributes.${'x'.repeat(65)}`,
    ]);
    expect(await paths({ attributes: { nested: { a: 1 } } })).toEqual(['body.attributes.nested']);
    expect((await patch(id, { waId: '1' })).statusCode).toBe(400);
    const bad = await tenant.owner.request({ method: 'GET', url: '/api/v1/contacts?cursor=W10&limit=500' });
    expect(bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['query.limit']);
    const cursor = await tenant.owner.request({ method: 'GET', url: '/api/v1/contacts?cursor=W10' });
    expect(cursor.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(['query.cursor']);
    expect(
      (await tenant.owner.request({ method: 'GET', url: `/api/v1/contacts/${uuidv7()}` })).statusCode,
    ).toBe(404);
    expect((await patch(uuidv7(), { name: 'x' })).statusCode).toBe(404);
  });

  it('is open to agents and to API keys with the conversation scopes', async () => {
    const agent = await addUser(app, tenant, 'agent');
    expect((await list(agent.caller)).items).toHaveLength(names.length);
    expect((await patch(people[2]!.message.contactId, { name: 'Maria' }, agent.caller)).statusCode).toBe(200);
    const key = async (scopes: string[]) => apiKeyCaller(app, tenant, scopes, 'k');
    const reader = await key(['conversations.read']);
    expect((await list(reader)).items).toHaveLength(names.length);
    expect((await patch(people[2]!.message.contactId, { name: 'M' }, reader)).statusCode).toBe(403);
    const writer = await key(['conversations.manage']);
    expect((await patch(people[2]!.message.contactId, { name: 'M' }, writer)).statusCode).toBe(200);
    const outsider = await key(['users.read']);
    expect((await outsider.request({ method: 'GET', url: '/api/v1/contacts' })).statusCode).toBe(403);
  });
});
