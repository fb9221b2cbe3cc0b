// For every tenant-scoped route, a user or API key of organization A that addresses a resource
// of organization B gets 404 (or, for lists, only A's data), and B's data is unchanged. The route
// table below must cover every route in the OpenAPI document: a new route fails this test until
// its isolation case is added.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../src/app.ts';
import { randomInt } from 'node:crypto';
import { numberLookup } from '../src/modules/whatsapp/numbers.repo.ts';
import { customer, inboundText } from './inbox-support.ts';
import { permissions } from '../src/platform/auth/permissions.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  signIn,
  uniqueEmail,
  withApiKey,
  type Caller,
} from './harness.ts';
import { cases, notTenantScoped, type Victim } from './isolation-routes.ts';

async function makeVictim(app: SwitchboardApp): Promise<Victim> {
  const tenant = await createTenant(app);
  const agent = await addUser(app, tenant, 'agent');
  const leaver = await addUser(app, tenant, 'agent');
  const deactivated = await tenant.owner.request({
    method: 'POST',
    url: `/api/v1/users/${leaver.id}/deactivate`,
  });
  if (deactivated.statusCode >= 300) throw new Error(`victim deactivate: ${deactivated.body}`);
  const inv = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/invitations',
    payload: { email: uniqueEmail('invitee'), role: 'agent' },
  });
  const key = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/api-keys',
    payload: { name: 'victim key', scopes: ['users.read'] },
  });
  const sessions = await tenant.owner.request({ method: 'GET', url: '/api/v1/auth/sessions' });
  const phoneNumberId = String(randomInt(100_000_000, 999_999_999));
  const number = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/whatsapp/numbers',
    payload: {
      phoneNumberId,
      wabaId: '4242424242',
      displayPhoneNumber: '+1 555 010 4242',
      accessToken: 'victim-access-token',
      appSecret: 'victim-app-secret',
      verifyToken: 'victim-verify-token',
      purpose: 'Victim support',
      greetingMessage: 'Victim greeting',
    },
  });
  if (number.statusCode !== 201) throw new Error(`victim number: ${number.statusCode} ${number.body}`);
  // A client writes to the victim's number, through the real webhook.
  const contactWaId = customer();
  const message = await inboundText(
    app,
    tenant.organizationId,
    {
      id: number.json<{ id: string }>().id,
      phoneNumberId,
      wabaId: '4242424242',
      appSecret: 'victim-app-secret',
      verifyToken: 'victim-verify-token',
    },
    contactWaId,
    'Victim secret message',
    { name: 'Victim client' },
  );
  // Labels on its conversation and contact, a note, a custom attribute.
  const send = async (method: 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await tenant.owner.request({ method, url, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`victim ${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string }>().id;
  };
  const labelId = await send('POST', '/api/v1/labels', { name: 'Victim label', color: '#aa0000' });
  await send('PUT', `/api/v1/conversations/${message.conversationId}/labels/${labelId}`);
  await send('PUT', `/api/v1/contacts/${message.contactId}/labels/${labelId}`);
  const contactNoteId = await send('POST', `/api/v1/contacts/${message.contactId}/notes`, {
    body: 'Victim note',
  });
  const attributeDefinitionId = await send('POST', '/api/v1/contact-attributes', {
    key: 'victim_tier',
    label: 'Victim tier',
    type: 'list',
    options: ['gold'],
  });
  // A private note mentioning the agent (so the agent has a notification), and a canned response.
  const note = await tenant.owner.request({
    method: 'POST',
    url: `/api/v1/conversations/${message.conversationId}/notes`,
    payload: { body: 'Victim private note', mentions: [agent.id] },
  });
  if (note.statusCode !== 201) throw new Error(`victim note: ${note.statusCode} ${note.body}`);
  const agentNotifications = await agent.caller.request({ method: 'GET', url: '/api/v1/notifications' });
  const canned = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/canned-responses',
    payload: { shortCode: 'victim-canned', content: 'Victim canned reply, {{contact.name}}' },
  });
  if (canned.statusCode !== 201) throw new Error(`victim canned: ${canned.statusCode} ${canned.body}`);
  // A round-robin team with the agent, the default team of the number.
  const team = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/teams',
    payload: { name: 'Victim team', autoAssign: true },
  });
  if (team.statusCode !== 201) throw new Error(`victim team: ${team.statusCode} ${team.body}`);
  const teamId = team.json<{ id: string }>().id;
  const member = await tenant.owner.request({
    method: 'PUT',
    url: `/api/v1/teams/${teamId}/members/${agent.id}`,
  });
  if (member.statusCode !== 201) throw new Error(`victim member: ${member.statusCode} ${member.body}`);
  return {
    tenant,
    teamId,
    agentId: agent.id,
    deactivatedUserId: leaver.id,
    invitationId: inv.json<{ id: string }>().id,
    apiKeyId: key.json<{ id: string }>().id,
    sessionId: sessions.json<{ items: { id: string }[] }>().items[0]!.id,
    numberId: number.json<{ id: string }>().id,
    phoneNumberId,
    conversationId: message.conversationId,
    contactId: message.contactId,
    contactWaId,
    messageExternalId: message.externalId!,
    messageId: message.id,
    noteId: note.json<{ id: string }>().id,
    notificationId: agentNotifications.json<{ items: { id: string }[] }>().items[0]!.id,
    cannedResponseId: canned.json<{ id: string }>().id,
    labelId,
    contactNoteId,
    attributeDefinitionId,
  };
}

describe(`tenant isolation on every route (${engine})`, () => {
  let app: SwitchboardApp;
  let victim: Victim;
  let attackers: { label: string; caller: Caller }[];

  beforeAll(async () => {
    app = await createTestApp();
    victim = await makeVictim(app);
    const attacker = await createTenant(app);
    const key = await attacker.owner.request({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'attacker key', scopes: [...permissions] },
    });
    attackers = [
      { label: 'owner session', caller: await signIn(app, attacker.ownerEmail) },
      { label: 'API key with every scope', caller: withApiKey(app, key.json<{ key: string }>().key) },
    ];
  });
  afterAll(async () => app.close());

  it('has an isolation case for every tenant route in the OpenAPI document', () => {
    const doc = app.http.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const tenantRoutes = routes.filter((r) => r.includes(' /api/v1/') && !r.includes('/api/v1/operator/'));
    expect(tenantRoutes).toEqual(expect.arrayContaining(Object.keys(cases)));
    const uncovered = tenantRoutes.filter((r) => !(r in cases) && !(r in notTenantScoped));
    expect(uncovered).toEqual([]);
  });

  for (const [route, c] of Object.entries(cases)) {
    it(`${route}: another organization gets nothing`, async () => {
      for (const { label, caller } of attackers) {
        if (c.kind === 'by-id') {
          const res = await caller.request({
            method: c.method,
            url: c.url(victim),
            ...(c.payload ? { payload: c.payload } : {}),
          });
          // Foreign ids are not found. The key holds every scope, so the one refusal it may get is
          // that of a route only signed-in users may call.
          if (res.statusCode === 403 && label !== 'owner session') {
            expect(res.json<{ detail: string }>().detail, label).toMatch(/only available to signed-in users/);
          } else {
            expect(res.statusCode, `${label}: ${res.body}`).toBe(404);
          }
          expect(res.body, label).not.toContain(victim.tenant.ownerEmail);
        } else if (c.kind === 'per-id') {
          const res = await caller.request({ method: c.method, url: c.url, payload: c.payload(victim) });
          expect(res.statusCode, `${label}: ${res.body}`).toBe(200);
          const { results } = res.json<{ results: { id: string; ok: boolean; code?: string }[] }>();
          expect(
            results.map((r) => [r.id, r.ok, r.code]),
            label,
          ).toEqual(c.ids(victim).map((id) => [id, false, 'not_found']));
          expect(res.body, label).not.toContain(victim.tenant.ownerEmail);
        } else {
          const res = await caller.request({
            method: 'GET',
            url: typeof c.url === 'string' ? c.url : c.url(victim),
          });
          // A list that answers an error proves nothing: users must get it; keys may be refused
          // user-only routes.
          if (label === 'owner session') expect(res.statusCode, `${label}: ${res.body}`).toBe(200);
          else expect([200, 403], `${label}: ${res.body}`).toContain(res.statusCode);
          expect(c.leaks(res.body, victim), `${label} saw another organization's data`).toBe(false);
        }
      }
    });
  }

  it('PATCH /api/v1/organization changes the caller’s organization, never another', async () => {
    for (const { label, caller } of attackers) {
      const res = await caller.request({
        method: 'PATCH',
        url: '/api/v1/organization',
        payload: { name: `Mallory ${label}` },
      });
      expect(res.statusCode, `${label}: ${res.body}`).toBe(200);
      expect(res.json<{ id: string }>().id, label).not.toBe(victim.tenant.organizationId);
    }
  });

  it("leaves the victim's data untouched", async () => {
    const owner = await signIn(app, victim.tenant.ownerEmail);
    const agent = await owner.request({ method: 'GET', url: `/api/v1/users/${victim.agentId}` });
    expect(agent.json()).toMatchObject({ status: 'active', firstName: 'Test' });
    const leaver = await owner.request({ method: 'GET', url: `/api/v1/users/${victim.deactivatedUserId}` });
    expect(leaver.json()).toMatchObject({ status: 'deactivated' });
    const keys = await owner.request({ method: 'GET', url: '/api/v1/api-keys' });
    expect(
      keys
        .json<{ items: { id: string; revokedAt: string | null }[] }>()
        .items.find((k) => k.id === victim.apiKeyId)?.revokedAt,
    ).toBeNull();
    const invitations = await owner.request({ method: 'GET', url: '/api/v1/invitations' });
    expect(invitations.body).toContain(victim.invitationId);
    const sessions = await owner.request({ method: 'GET', url: '/api/v1/auth/sessions' });
    expect(sessions.body).toContain(victim.sessionId);
    const org = await owner.request({ method: 'GET', url: '/api/v1/organization' });
    expect(org.json<{ name: string }>().name).toContain(victim.tenant.ownerEmail);
    const number = await owner.request({ method: 'GET', url: `/api/v1/whatsapp/numbers/${victim.numberId}` });
    expect(number.statusCode).toBe(200);
    expect(number.json()).toMatchObject({
      phoneNumberId: victim.phoneNumberId,
      purpose: 'Victim support',
      greetingMessage: 'Victim greeting',
    });
    const [row] = await app.database.system((tx) =>
      numberLookup(tx).byPhoneNumberIds([victim.phoneNumberId]),
    );
    expect(app.services.numbers.decryptCredentials(row!).accessToken).toBe('victim-access-token');
    const convo = await owner.request({
      method: 'GET',
      url: `/api/v1/conversations/${victim.conversationId}`,
    });
    expect(convo.json()).toMatchObject({ status: 'open', priority: 'none', contact: { name: null } });
    const contact = await owner.request({ method: 'GET', url: `/api/v1/contacts/${victim.contactId}` });
    expect(contact.json()).toMatchObject({ name: null, attributes: {} });
    const history = await owner.request({
      method: 'GET',
      url: `/api/v1/conversations/${victim.conversationId}/messages`,
    });
    expect(history.body).toContain(victim.messageExternalId);
    const team = await owner.request({ method: 'GET', url: `/api/v1/teams/${victim.teamId}` });
    expect(team.json()).toMatchObject({ name: 'Victim team', autoAssign: true, maxOpenPerAgent: null });
    const members = await owner.request({ method: 'GET', url: `/api/v1/teams/${victim.teamId}/members` });
    expect(members.json<{ items: { userId: string }[] }>().items.map((m) => m.userId)).toEqual([
      victim.agentId,
    ]);
  });
});
