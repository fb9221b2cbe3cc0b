import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { realtimeEvents } from '../../platform/realtime/realtime.tables.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  signIn,
  withApiKey,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { customer, inboundText, type StoredMessage } from '../../../test/inbox-support.ts';
import { connect, listen } from '../../../test/realtime-support.ts';
import { connectNumber, type TestNumber } from '../../../test/whatsapp-support.ts';
import { labelsRepo } from './labels.repo.ts';

interface Label {
  id: string;
  name: string;
  description: string | null;
  color: string;
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}

describe(`labels (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let number: TestNumber;
  let message: StoredMessage;
  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    number = await connectNumber(tenant);
    message = await inboundText(app, tenant.organizationId, number, customer(), 'hello');
  });
  afterAll(async () => app.close());

  const send = (
    caller: Caller,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) => caller.request({ method, url, ...(payload ? { payload } : {}) });
  const create = async (payload: object, caller: Caller = tenant.owner) => {
    const res = await send(caller, 'POST', '/api/v1/labels', payload);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Label>();
  };
  const paths = (body: string) => (JSON.parse(body) as Problem).errors?.map((e) => e.path);
  const names = async (caller: Caller = tenant.owner) =>
    (await send(caller, 'GET', '/api/v1/labels')).json<{ items: Label[] }>().items.map((l) => l.name);
  const auditActions = async (targetId: string) =>
    (await send(tenant.owner, 'GET', `/api/v1/audit-log?targetId=${targetId}`))
      .json<{ items: { action: string; before: unknown; after: unknown }[] }>()
      .items.map((e) => e.action);

  it('creates, lists alphabetically, updates and deletes labels, auditing each change', async () => {
    const vip = await create({ name: '  zz VIP ', color: '#A1B2C3', description: 'Big clients' });
    expect(vip).toMatchObject({ name: 'zz VIP', color: '#a1b2c3', description: 'Big clients' });
    await create({ name: 'aa Billing', color: '#000000' });
    const listed = await names();
    expect(listed.indexOf('aa Billing')).toBeLessThan(listed.indexOf('zz VIP'));

    const renamed = await send(tenant.owner, 'PATCH', `/api/v1/labels/${vip.id}`, {
      name: 'zz vip',
      color: '#ffffff',
      description: null,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: vip.id, name: 'zz vip', color: '#ffffff', description: null });

    expect((await send(tenant.owner, 'DELETE', `/api/v1/labels/${vip.id}`)).statusCode).toBe(204);
    expect((await send(tenant.owner, 'DELETE', `/api/v1/labels/${vip.id}`)).statusCode).toBe(404);
    expect((await send(tenant.owner, 'PATCH', `/api/v1/labels/${vip.id}`, { name: 'x' })).statusCode).toBe(
      404,
    );
    expect(await names()).not.toContain('zz vip');
    expect(await auditActions(vip.id)).toEqual(['label.deleted', 'label.updated', 'label.created']);
  });

  it('refuses bad input, naming each field, and duplicate names ignoring case (409)', async () => {
    const bad = await send(tenant.owner, 'POST', '/api/v1/labels', { name: '', color: 'red', extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(paths(bad.body)?.sort()).toEqual(['body', 'body.color', 'body.name']);
    for (const color of ['#12345', '#1234567', '123456', '#gggggg']) {
      const res = await send(tenant.owner, 'POST', '/api/v1/labels', { name: 'Colour', color });
      expect(paths(res.body), color).toEqual(['body.color']);
    }
    const first = await create({ name: 'Urgent', color: '#ff0000' });
    const dup = await send(tenant.owner, 'POST', '/api/v1/labels', { name: 'URGENT ', color: '#00ff00' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<Problem>()).toMatchObject({ code: 'conflict', errors: [{ path: 'body.name' }] });
    const other = await create({ name: 'Other', color: '#00ff00' });
    const rename = await send(tenant.owner, 'PATCH', `/api/v1/labels/${other.id}`, { name: 'urgent' });
    expect(rename.statusCode).toBe(409);
    // Changing only the case of its own name is no clash.
    const recase = await send(tenant.owner, 'PATCH', `/api/v1/labels/${first.id}`, { name: 'URGENT' });
    expect(recase.json()).toMatchObject({ name: 'URGENT' });
    expect(
      (await send(tenant.owner, 'PATCH', `/api/v1/labels/${first.id}`, { id: uuidv7() })).statusCode,
    ).toBe(400);
    expect((await send(tenant.owner, 'PATCH', '/api/v1/labels/not-a-uuid', { name: 'x' })).statusCode).toBe(
      400,
    );
    // Another organization may use the same name.
    const elsewhere = await createTenant(app);
    await create({ name: 'Urgent', color: '#ff0000' }, elsewhere.owner);
  });

  it('lets agents read and attach labels, but only labels.manage define them', async () => {
    const agent = await addUser(app, tenant, 'agent');
    const label = await create({ name: 'Agent visible', color: '#123456' });
    expect(await names(agent.caller)).toContain('Agent visible');
    expect(
      (await send(agent.caller, 'POST', '/api/v1/labels', { name: 'Nope', color: '#123456' })).statusCode,
    ).toBe(403);
    expect(
      (await send(agent.caller, 'PATCH', `/api/v1/labels/${label.id}`, { name: 'Nope' })).statusCode,
    ).toBe(403);
    expect((await send(agent.caller, 'DELETE', `/api/v1/labels/${label.id}`)).statusCode).toBe(403);
    const put = await send(
      agent.caller,
      'PUT',
      `/api/v1/conversations/${message.conversationId}/labels/${label.id}`,
    );
    expect(put.statusCode, put.body).toBe(200);
    await send(agent.caller, 'DELETE', `/api/v1/conversations/${message.conversationId}/labels/${label.id}`);

    const key = async (scopes: string[]) =>
      withApiKey(
        app,
        (await send(tenant.owner, 'POST', '/api/v1/api-keys', { name: 'k', scopes })).json<{ key: string }>()
          .key,
      );
    const manager = await key(['labels.manage']);
    expect(
      (await send(manager, 'POST', '/api/v1/labels', { name: 'By key', color: '#654321' })).statusCode,
    ).toBe(201);
    const reader = await key(['conversations.read']);
    expect(await names(reader)).toContain('By key');
    expect(
      (await send(reader, 'PUT', `/api/v1/conversations/${message.conversationId}/labels/${label.id}`))
        .statusCode,
    ).toBe(403);
  });

  it('attaches to a conversation idempotently, with one realtime event per change', async () => {
    const base = await listen(app);
    const session = await signIn(app, tenant.ownerEmail);
    const socket = await connect(base, { cookie: session.cookie });
    try {
      const a = await create({ name: 'Idem A', color: '#aaaaaa' });
      const b = await create({ name: 'Idem B', color: '#bbbbbb' });
      const url = (l: Label) => `/api/v1/conversations/${message.conversationId}/labels/${l.id}`;
      const first = await send(tenant.owner, 'PUT', url(b));
      expect(first.json()).toEqual({ items: [{ id: b.id, name: 'Idem B', color: '#bbbbbb' }] });
      const frame = await socket.waitFor(
        (f) => f.type === 'conversation.updated' && f.conversationId === message.conversationId,
      );
      expect(frame.data).toMatchObject({
        id: message.conversationId,
        labels: [{ id: b.id, name: 'Idem B', color: '#bbbbbb' }],
      });
      const again = await send(tenant.owner, 'PUT', url(b));
      expect(again.json<{ items: Label[] }>().items).toHaveLength(1);
      const both = await send(tenant.owner, 'PUT', url(a));
      expect(both.json<{ items: Label[] }>().items.map((l) => l.name)).toEqual(['Idem A', 'Idem B']);
      expect((await send(tenant.owner, 'DELETE', url(b))).json<{ items: Label[] }>().items).toHaveLength(1);
      expect((await send(tenant.owner, 'DELETE', url(b))).statusCode).toBe(200);

      // Three changes (attach B, attach A, detach B); the repeated PUT and DELETE changed nothing.
      const events = await app.database.tenant(tenant.organizationId, (tx) =>
        tx
          .select()
          .from(realtimeEvents)
          .where(
            and(
              eq(realtimeEvents.tenantId, tenant.organizationId),
              eq(realtimeEvents.conversationId, message.conversationId),
              eq(realtimeEvents.type, 'conversation.updated'),
            ),
          ),
      );
      expect(events.filter((e) => JSON.stringify(e.data['labels'] ?? []).includes('Idem'))).toHaveLength(3);
      const view = await app.database.tenant(tenant.organizationId, (tx) =>
        labelsRepo(tx).labelsOf(tenant.organizationId, [message.conversationId, uuidv7()]),
      );
      expect(view.get(message.conversationId)?.map((l) => l.name)).toContain('Idem A');
      expect([...view.values()][1]).toEqual([]);
    } finally {
      await socket.close();
    }
  });

  it('attaches to a contact idempotently and shows the labels on the contact', async () => {
    const label = await create({ name: 'Contact tag', color: '#0000ff' });
    const url = `/api/v1/contacts/${message.contactId}/labels/${label.id}`;
    expect((await send(tenant.owner, 'PUT', url)).statusCode).toBe(200);
    expect((await send(tenant.owner, 'PUT', url)).json<{ items: Label[] }>().items).toEqual([
      { id: label.id, name: 'Contact tag', color: '#0000ff' },
    ]);
    const contact = await send(tenant.owner, 'GET', `/api/v1/contacts/${message.contactId}`);
    expect(contact.json<{ labels: Label[] }>().labels).toEqual([
      { id: label.id, name: 'Contact tag', color: '#0000ff' },
    ]);
    const listed = await send(tenant.owner, 'GET', '/api/v1/contacts');
    expect(listed.body).toContain(label.id);
    expect((await send(tenant.owner, 'DELETE', url)).json<{ items: Label[] }>().items).toEqual([]);
    expect((await send(tenant.owner, 'DELETE', url)).statusCode).toBe(200);
  });

  it('answers 404 for an unknown or foreign conversation, contact or label', async () => {
    const mine = await create({ name: 'Mine', color: '#010101' });
    const other = await createTenant(app);
    const theirs = await create({ name: 'Theirs', color: '#020202' }, other.owner);
    const cases = [
      `/api/v1/conversations/${message.conversationId}/labels/${theirs.id}`,
      `/api/v1/conversations/${uuidv7()}/labels/${mine.id}`,
      `/api/v1/contacts/${message.contactId}/labels/${theirs.id}`,
      `/api/v1/contacts/${uuidv7()}/labels/${mine.id}`,
    ];
    for (const url of cases) {
      expect((await send(tenant.owner, 'PUT', url)).statusCode, url).toBe(404);
      expect((await send(tenant.owner, 'DELETE', url)).statusCode, url).toBe(404);
    }
    // The other organization cannot label this one's conversation with its own label either.
    const foreign = `/api/v1/conversations/${message.conversationId}/labels/${theirs.id}`;
    expect((await send(other.owner, 'PUT', foreign)).statusCode).toBe(404);
    expect(
      (await send(tenant.owner, 'PUT', `/api/v1/contacts/${message.contactId}/labels/x`)).statusCode,
    ).toBe(400);
  });

  it('deleting a label removes it from every conversation and contact at once', async () => {
    const label = await create({ name: 'Doomed', color: '#dd0000' });
    await send(tenant.owner, 'PUT', `/api/v1/conversations/${message.conversationId}/labels/${label.id}`);
    await send(tenant.owner, 'PUT', `/api/v1/contacts/${message.contactId}/labels/${label.id}`);
    expect((await send(tenant.owner, 'DELETE', `/api/v1/labels/${label.id}`)).statusCode).toBe(204);
    const contact = await send(tenant.owner, 'GET', `/api/v1/contacts/${message.contactId}`);
    expect(contact.body).not.toContain(label.id);
    const attached = await app.database.tenant(tenant.organizationId, (tx) =>
      labelsRepo(tx).labelsOf(tenant.organizationId, [message.conversationId]),
    );
    expect(JSON.stringify([...attached.values()])).not.toContain(label.id);
  });
});
