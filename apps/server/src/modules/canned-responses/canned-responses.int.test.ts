// Canned responses: CRUD with permissions and audit, case-insensitive unique short codes, a closed
// set of variables, search, and rendering for a conversation's contact and the calling agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  withApiKey,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { connectNumber } from '../../../test/whatsapp-support.ts';
import { customer, inboundText } from '../../../test/inbox-support.ts';

interface Canned {
  id: string;
  shortCode: string;
  content: string;
  variables: string[];
  createdBy: string | null;
}
interface Problem {
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

describe(`canned responses (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let agent: Awaited<ReturnType<typeof addUser>>;
  let conversationId: string;
  let waId: string;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    agent = await addUser(app, tenant, 'agent');
    const number = await connectNumber(tenant);
    waId = customer();
    conversationId = (
      await inboundText(app, tenant.organizationId, number, waId, 'hi', { name: 'Maria Clara Souza' })
    ).conversationId;
  });
  afterAll(async () => app.close());

  const create = (payload: object, caller: Caller = tenant.owner) =>
    caller.request({ method: 'POST', url: '/api/v1/canned-responses', payload });
  const render = (id: string, caller: Caller = agent.caller, conversation = conversationId) =>
    caller.request({
      method: 'POST',
      url: `/api/v1/canned-responses/${id}/render`,
      payload: { conversationId: conversation },
    });
  const list = async (query = '', caller: Caller = agent.caller) => {
    const res = await caller.request({ method: 'GET', url: `/api/v1/canned-responses${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Canned[]; nextCursor: string | null }>();
  };

  it('creates, lists, changes and deletes, with an audit entry for each change', async () => {
    const res = await create({ shortCode: '  Greet-1 ', content: 'Hello {{contact.first_name}}!' });
    expect(res.statusCode, res.body).toBe(201);
    const canned = res.json<Canned>();
    expect(canned).toMatchObject({
      shortCode: 'greet-1',
      content: 'Hello {{contact.first_name}}!',
      variables: ['contact.first_name'],
      createdBy: tenant.ownerId,
    });
    expect((await list()).items.map((c) => c.id)).toContain(canned.id);

    const patched = await tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/canned-responses/${canned.id}`,
      payload: { content: 'Hi {{contact.first_name | there}}, {{agent.first_name}} here.' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<Canned>()).toMatchObject({
      shortCode: 'greet-1',
      variables: ['contact.first_name', 'agent.first_name'],
    });

    const deleted = await tenant.owner.request({
      method: 'DELETE',
      url: `/api/v1/canned-responses/${canned.id}`,
    });
    expect(deleted.statusCode).toBe(204);
    expect((await list()).items.map((c) => c.id)).not.toContain(canned.id);
    const twice = await tenant.owner.request({
      method: 'DELETE',
      url: `/api/v1/canned-responses/${canned.id}`,
    });
    expect(twice.statusCode).toBe(404);

    const audit = await tenant.owner.request({
      method: 'GET',
      url: `/api/v1/audit-log?targetId=${canned.id}`,
    });
    const entries = audit.json<{ items: { action: string; actorId: string }[] }>().items;
    expect(entries.map((e) => e.action).sort()).toEqual([
      'canned_response.created',
      'canned_response.deleted',
      'canned_response.updated',
    ]);
    expect(entries.every((e) => e.actorId === tenant.ownerId)).toBe(true);
  });

  it('needs canned_responses.manage to write, conversations.read to read', async () => {
    const denied = await create({ shortCode: 'agent-made', content: 'x' }, agent.caller);
    expect(denied.statusCode).toBe(403);
    const own = (await create({ shortCode: 'perm', content: 'Permanent' })).json<Canned>();
    const patch = await agent.caller.request({
      method: 'PATCH',
      url: `/api/v1/canned-responses/${own.id}`,
      payload: { content: 'hacked' },
    });
    expect(patch.statusCode).toBe(403);
    const del = await agent.caller.request({ method: 'DELETE', url: `/api/v1/canned-responses/${own.id}` });
    expect(del.statusCode).toBe(403);
    expect((await render(own.id)).statusCode).toBe(200);

    const key = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'bot', scopes: ['canned_responses.manage'] },
    });
    const bot = withApiKey(app, key.json<{ key: string }>().key);
    const byKey = await create({ shortCode: 'from-bot', content: 'Beep' }, bot);
    expect(byKey.statusCode, byKey.body).toBe(201);
    expect(byKey.json<Canned>().createdBy).toBeNull();
    // The key cannot read without conversations.read.
    expect((await bot.request({ method: 'GET', url: '/api/v1/canned-responses' })).statusCode).toBe(403);
  });

  it('keeps short codes unique whatever their case (409) and well-formed (400)', async () => {
    expect((await create({ shortCode: 'refund', content: 'Refunds take 5 days.' })).statusCode).toBe(201);
    const dup = await create({ shortCode: 'REFUND', content: 'Other' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<Problem>()).toMatchObject({ code: 'conflict', errors: [{ path: 'body.shortCode' }] });

    const other = (await create({ shortCode: 'refund-2', content: 'Two' })).json<Canned>();
    const rename = await tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/canned-responses/${other.id}`,
      payload: { shortCode: 'Refund' },
    });
    expect(rename.statusCode).toBe(409);

    for (const shortCode of ['', 'with space', 'émoji', 'x'.repeat(51), '/slash']) {
      const bad = await create({ shortCode, content: 'x' });
      expect(bad.statusCode, shortCode).toBe(400);
      expect(new Set(bad.json<Problem>().errors?.map((e) => e.path))).toEqual(new Set(['body.shortCode']));
    }
    const empty = await create({ shortCode: 'empty', content: '   ' });
    expect(empty.json<Problem>().errors?.map((e) => e.path)).toEqual(['body.content']);
  });

  it('refuses unknown variables at create and update time (422), naming each', async () => {
    const res = await create({
      shortCode: 'bad-vars',
      content: 'Hi {{contact.email}}, {{ contact.name }} {{agent.salary|0}}',
    });
    expect(res.statusCode).toBe(422);
    const body = res.json<Problem>();
    expect(body.code).toBe('unprocessable_content');
    expect(body.detail).toContain('{{contact.email}}');
    expect(body.errors).toEqual([
      { path: 'body.content', message: 'Unknown variable {{contact.email}}' },
      { path: 'body.content', message: 'Unknown variable {{agent.salary}}' },
    ]);
    expect((await list('?q=bad-vars')).items).toEqual([]);

    const ok = (await create({ shortCode: 'good-vars', content: 'Hi' })).json<Canned>();
    const patch = await tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/canned-responses/${ok.id}`,
      payload: { content: '{{organization.id}}' },
    });
    expect(patch.statusCode).toBe(422);
    expect(patch.json<Problem>().errors?.[0]?.message).toContain('{{organization.id}}');
  });

  it('renders for the conversation’s contact and the calling agent, with fallbacks', async () => {
    const canned = (
      await create({
        shortCode: 'welcome',
        content:
          'Hi {{contact.first_name}} ({{contact.name}}, {{contact.phone}}), I am {{agent.name}} ' +
          '({{agent.first_name}}) from {{organization.name}}.',
      })
    ).json<Canned>();
    const res = await render(canned.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      text:
        `Hi Maria (Maria Clara Souza, +${waId}), I am Test agent (Test) from ` + `Org ${tenant.ownerEmail}.`,
      missing: [],
    });

    // An API key has no agent: fallbacks, or nothing.
    const fallback = (
      await create({
        shortCode: 'sign-off',
        content: 'Bye from {{agent.first_name | the team}}{{agent.name}}.',
      })
    ).json<Canned>();
    const key = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'reader', scopes: ['conversations.read'] },
    });
    const reader = withApiKey(app, key.json<{ key: string }>().key);
    expect((await render(fallback.id, reader)).json()).toEqual({
      text: 'Bye from the team.',
      missing: ['agent.name'],
    });
  });

  it('answers 404 for an unknown response or another organization’s conversation', async () => {
    const canned = (await create({ shortCode: 'ping', content: 'pong' })).json<Canned>();
    expect((await render(uuidv7())).statusCode).toBe(404);
    expect((await render(canned.id, agent.caller, uuidv7())).statusCode).toBe(404);
    // Another organization's own response cannot be rendered against this conversation, nor ours there.
    const other = await createTenant(app);
    const theirs = (await create({ shortCode: 'ping', content: 'theirs' }, other.owner)).json<Canned>();
    expect((await render(theirs.id, other.owner)).statusCode).toBe(404);
    expect((await render(canned.id, other.owner)).statusCode).toBe(404);
    expect((await list('', other.owner)).items.map((c) => c.content)).toEqual(['theirs']);
  });

  it('searches by short-code prefix or content, and pages in short-code order', async () => {
    const t = await createTenant(app);
    for (const [shortCode, content] of [
      ['ship-eu', 'Shipping to Europe takes 7 days'],
      ['ship-br', 'Envio para o Brasil: 3 dias'],
      ['returns', 'Send it back 100% free'],
      ['hours', 'We open at 9; shipping questions welcome'],
    ]) {
      expect((await create({ shortCode, content }, t.owner)).statusCode).toBe(201);
    }
    const codes = async (q: string) => (await list(q, t.owner)).items.map((c) => c.shortCode);
    expect(await codes('?q=SHIP')).toEqual(['hours', 'ship-br', 'ship-eu']);
    expect(await codes('?q=/ship-')).toEqual(['ship-br', 'ship-eu']);
    expect(await codes('?q=100%25')).toEqual(['returns']);
    expect(await codes('?q=_')).toEqual([]);

    const first = await list('?limit=3', t.owner);
    expect(first.items.map((c) => c.shortCode)).toEqual(['hours', 'returns', 'ship-br']);
    const second = await list(`?limit=3&cursor=${first.nextCursor!}`, t.owner);
    expect(second.items.map((c) => c.shortCode)).toEqual(['ship-eu']);
    expect(second.nextCursor).toBeNull();
    const forged = await t.owner.request({ method: 'GET', url: '/api/v1/canned-responses?cursor=%%%' });
    expect(forged.statusCode).toBe(400);
  });
});
