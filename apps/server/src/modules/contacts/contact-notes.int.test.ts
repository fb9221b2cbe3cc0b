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
import { customer, inboundText } from '../../../test/inbox-support.ts';
import { connectNumber } from '../../../test/whatsapp-support.ts';

interface Note {
  id: string;
  contactId: string;
  body: string;
  author: { id: string; name: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

describe(`contact notes (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let contactId: string;
  let agent: { id: string; caller: Caller };
  let otherAgent: { id: string; caller: Caller };
  let admin: { id: string; caller: Caller };
  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    const number = await connectNumber(tenant);
    contactId = (await inboundText(app, tenant.organizationId, number, customer(), 'hi')).contactId;
    agent = await addUser(app, tenant, 'agent');
    otherAgent = await addUser(app, tenant, 'agent');
    admin = await addUser(app, tenant, 'admin');
  });
  afterAll(async () => app.close());

  const url = (noteId?: string) => `/api/v1/contacts/${contactId}/notes${noteId ? `/${noteId}` : ''}`;
  const write = async (caller: Caller, body: string) => {
    const res = await caller.request({ method: 'POST', url: url(), payload: { body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Note>();
  };
  const edit = (caller: Caller, id: string, body: string) =>
    caller.request({ method: 'PATCH', url: url(id), payload: { body } });
  const remove = (caller: Caller, id: string) => caller.request({ method: 'DELETE', url: url(id) });

  it('records the author, lists newest first and pages without duplicates', async () => {
    const first = await write(agent.caller, '  Prefers calls after 6pm  ');
    expect(first).toMatchObject({
      contactId,
      body: 'Prefers calls after 6pm',
      author: { id: agent.id, name: 'Test agent' },
    });
    await write(tenant.owner, 'Second');
    await write(otherAgent.caller, 'Third');
    const all = await tenant.owner.request({ method: 'GET', url: url() });
    expect(all.json<{ items: Note[] }>().items.map((n) => n.body)).toEqual([
      'Third',
      'Second',
      'Prefers calls after 6pm',
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await agent.caller.request({
        method: 'GET',
        url: `${url()}?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      const page = res.json<{ items: Note[]; nextCursor: string | null }>();
      seen.push(...page.items.map((n) => n.body));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Third', 'Second', 'Prefers calls after 6pm']);
  });

  it('lets only the author, an owner or an admin change or delete a note (403 for other agents)', async () => {
    const note = await write(agent.caller, 'Mine');
    expect((await edit(otherAgent.caller, note.id, 'Hijacked')).statusCode).toBe(403);
    expect((await remove(otherAgent.caller, note.id)).statusCode).toBe(403);
    const own = await edit(agent.caller, note.id, 'Mine, edited');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ body: 'Mine, edited', author: { id: agent.id } });
    expect((await edit(admin.caller, note.id, 'Moderated')).json()).toMatchObject({
      body: 'Moderated',
      author: { id: agent.id },
    });
    expect((await edit(tenant.owner, note.id, 'By owner')).statusCode).toBe(200);
    expect((await remove(admin.caller, note.id)).statusCode).toBe(204);
    expect((await remove(agent.caller, note.id)).statusCode).toBe(404);

    const another = await write(otherAgent.caller, 'Also mine');
    expect((await remove(otherAgent.caller, another.id)).statusCode).toBe(204);
    const bodies = (await agent.caller.request({ method: 'GET', url: url() })).body;
    expect(bodies).not.toContain('Also mine');
    expect(bodies).not.toContain('By owner');
  });

  it('takes notes from API keys without an author; only an admin-scoped key edits them', async () => {
    const key = async (scopes: string[]) => apiKeyCaller(app, tenant, scopes, 'k');
    const writer = await key(['conversations.manage']);
    const note = await write(writer, 'From the CRM');
    expect(note.author).toBeNull();
    expect((await edit(writer, note.id, 'Changed')).statusCode).toBe(403);
    expect((await edit(agent.caller, note.id, 'Changed')).statusCode).toBe(403);
    const adminKey = await key(['conversations.manage', 'organization.manage']);
    expect((await edit(adminKey, note.id, 'Changed')).statusCode).toBe(200);
    const reader = await key(['conversations.read']);
    expect((await reader.request({ method: 'GET', url: url() })).statusCode).toBe(200);
    expect((await reader.request({ method: 'POST', url: url(), payload: { body: 'x' } })).statusCode).toBe(
      403,
    );
  });

  it('refuses bad input and answers 404 for unknown contacts and notes', async () => {
    const bad = await tenant.owner.request({
      method: 'POST',
      url: url(),
      payload: { body: '   ', pinned: true },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ errors: { path: string }[] }>()
        .errors.map((e) => e.path)
        .sort(),
    ).toEqual(['body', 'body.body']);
    const long = await tenant.owner.request({
      method: 'POST',
      url: url(),
      payload: { body: 'x'.repeat(10_001) },
    });
    expect(long.statusCode).toBe(400);
    const unknown = `/api/v1/contacts/${uuidv7()}/notes`;
    expect((await tenant.owner.request({ method: 'GET', url: unknown })).statusCode).toBe(404);
    expect(
      (await tenant.owner.request({ method: 'POST', url: unknown, payload: { body: 'x' } })).statusCode,
    ).toBe(404);
    expect((await edit(tenant.owner, uuidv7(), 'x')).statusCode).toBe(404);
    expect((await remove(tenant.owner, uuidv7())).statusCode).toBe(404);
    // A note is addressed through its own contact only.
    const note = await write(tenant.owner, 'Here');
    const number = await connectNumber(tenant, 'Other');
    const elsewhere = (await inboundText(app, tenant.organizationId, number, customer(), 'hi')).contactId;
    const wrong = await tenant.owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${elsewhere}/notes/${note.id}`,
      payload: { body: 'moved?' },
    });
    expect(wrong.statusCode).toBe(404);
  });
});
