import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { SwitchboardApp } from '../../app.ts';
import { readSettledEvents } from '../../platform/realtime/realtime.repo.ts';
import { conversationsRepo } from '../conversations/conversations.repo.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  withApiKey,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { notificationsRepo } from '../notifications/notifications.repo.ts';
import { teamScenario } from '../../../test/teams-support.ts';

interface Team {
  id: string;
  name: string;
  description: string | null;
  autoAssign: boolean;
  maxOpenPerAgent: number | null;
  memberCount: number;
}
interface Member {
  userId: string;
  availability: string;
  lastAssignedAt: string | null;
}
interface Problem {
  code: string;
  errors?: { path: string; message: string }[];
}
const paths = (body: Problem) => (body.errors ?? []).map((e) => e.path).sort();

type Agent = Awaited<ReturnType<typeof addUser>>;

describe(`teams and assignment (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let agent: Agent;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    agent = await addUser(app, tenant, 'agent');
  });
  afterAll(async () => app.close());

  const createTeam = (payload: object, caller: Caller = tenant.owner) =>
    caller.request({ method: 'POST', url: '/api/v1/teams', payload });
  const newTeam = async (payload: object, caller: Caller = tenant.owner): Promise<Team> => {
    const res = await createTeam(payload, caller);
    if (res.statusCode !== 201) throw new Error(`team: ${res.statusCode} ${res.body}`);
    return res.json<Team>();
  };
  const addMember = (teamId: string, userId: string, caller: Caller = tenant.owner) =>
    caller.request({ method: 'PUT', url: `/api/v1/teams/${teamId}/members/${userId}` });
  const auditActions = async (t: TestTenant, targetId: string) => {
    const res = await t.owner.request({ method: 'GET', url: `/api/v1/audit-log?targetId=${targetId}` });
    return res
      .json<{ items: { action: string; before: unknown; after: unknown }[] }>()
      .items.map((i) => i.action)
      .reverse();
  };
  const conversation = (t: TestTenant, id: string) =>
    app.database.tenant(t.organizationId, (tx) => conversationsRepo(tx).findById(t.organizationId, id));

  describe('teams API', () => {
    it('creates, lists, reads, changes and deletes a team, auditing each change', async () => {
      const created = await createTeam({ name: '  Premium support ', description: 'VIP clients' });
      expect(created.statusCode).toBe(201);
      const team = created.json<Team>();
      expect(team).toMatchObject({
        name: 'Premium support',
        description: 'VIP clients',
        autoAssign: false,
        maxOpenPerAgent: null,
        memberCount: 0,
      });

      const list = await agent.caller.request({ method: 'GET', url: '/api/v1/teams' });
      expect(list.statusCode).toBe(200);
      expect(list.json<{ items: Team[] }>().items.map((t) => t.id)).toContain(team.id);

      const changed = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/teams/${team.id}`,
        payload: { name: 'Premium', description: '', autoAssign: true, maxOpenPerAgent: 5 },
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()).toMatchObject({
        name: 'Premium',
        description: null,
        autoAssign: true,
        maxOpenPerAgent: 5,
      });
      const read = await agent.caller.request({ method: 'GET', url: `/api/v1/teams/${team.id}` });
      expect(read.json()).toMatchObject({ name: 'Premium', autoAssign: true });

      expect((await addMember(team.id, agent.id)).statusCode).toBe(201);
      expect((await addMember(team.id, agent.id)).statusCode).toBe(200);
      const members = await agent.caller.request({ method: 'GET', url: `/api/v1/teams/${team.id}/members` });
      expect(members.json<{ items: Member[] }>().items).toEqual([
        expect.objectContaining({ userId: agent.id, availability: 'online', lastAssignedAt: null }),
      ]);
      expect(
        (await tenant.owner.request({ method: 'GET', url: `/api/v1/teams/${team.id}` })).json<Team>()
          .memberCount,
      ).toBe(1);
      const removed = await tenant.owner.request({
        method: 'DELETE',
        url: `/api/v1/teams/${team.id}/members/${agent.id}`,
      });
      expect(removed.statusCode).toBe(204);
      const again = await tenant.owner.request({
        method: 'DELETE',
        url: `/api/v1/teams/${team.id}/members/${agent.id}`,
      });
      expect(again.statusCode).toBe(404);

      const deleted = await tenant.owner.request({ method: 'DELETE', url: `/api/v1/teams/${team.id}` });
      expect(deleted.statusCode).toBe(204);
      expect(
        (await tenant.owner.request({ method: 'GET', url: `/api/v1/teams/${team.id}` })).statusCode,
      ).toBe(404);
      expect(await auditActions(tenant, team.id)).toEqual([
        'team.created',
        'team.updated',
        'team.member_added',
        'team.member_removed',
        'team.deleted',
      ]);
    });

    it('lets agents read teams but only managers change them', async () => {
      const team = await newTeam({ name: 'Read only' });
      expect((await createTeam({ name: 'By an agent' }, agent.caller)).statusCode).toBe(403);
      const attempts = [
        { method: 'PATCH' as const, url: `/api/v1/teams/${team.id}`, payload: { name: 'Mine' } },
        { method: 'DELETE' as const, url: `/api/v1/teams/${team.id}` },
        { method: 'PUT' as const, url: `/api/v1/teams/${team.id}/members/${agent.id}` },
        { method: 'DELETE' as const, url: `/api/v1/teams/${team.id}/members/${agent.id}` },
      ];
      for (const a of attempts) expect((await agent.caller.request(a)).statusCode, a.method).toBe(403);
      const members = await agent.caller.request({ method: 'GET', url: `/api/v1/teams/${team.id}/members` });
      expect(members.statusCode).toBe(200);

      const key = await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: { name: 'reader', scopes: ['conversations.read'] },
      });
      const reader = withApiKey(app, key.json<{ key: string }>().key);
      expect((await reader.request({ method: 'GET', url: '/api/v1/teams' })).statusCode).toBe(200);
      expect((await createTeam({ name: 'By a key' }, reader)).statusCode).toBe(403);
    });

    it('reports every invalid field, and refuses unknown ones', async () => {
      const bad = await createTeam({ name: '   ', autoAssign: 'yes', maxOpenPerAgent: 0, color: 'red' });
      expect(bad.statusCode).toBe(400);
      const body = bad.json<Problem>();
      expect(body.code).toBe('validation_failed');
      expect(paths(body)).toEqual(
        expect.arrayContaining(['body.autoAssign', 'body.maxOpenPerAgent', 'body.name']),
      );
      expect(JSON.stringify(body)).toContain('color');

      const types = await createTeam({ name: 42, description: 7, maxOpenPerAgent: 1.5 });
      expect(paths(types.json())).toEqual(['body.description', 'body.maxOpenPerAgent', 'body.name']);
      expect((await createTeam({})).statusCode).toBe(400);
      expect((await createTeam({ name: 'x'.repeat(101) })).statusCode).toBe(400);

      const team = await newTeam({ name: 'Validated' });
      const patch = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/teams/${team.id}`,
        payload: { name: '', autoAssign: null, members: [] },
      });
      expect(patch.statusCode).toBe(400);
      expect(paths(patch.json())).toEqual(expect.arrayContaining(['body.autoAssign', 'body.name']));
      const badId = await tenant.owner.request({ method: 'GET', url: '/api/v1/teams/not-a-uuid' });
      expect(paths(badId.json())).toEqual(['params.id']);
      const badUser = await addMember(team.id, 'nobody');
      expect(paths(badUser.json())).toEqual(['params.userId']);
    });

    it('keeps names unique in the organization, ignoring case (409)', async () => {
      const team = await newTeam({ name: 'Billing' });
      const dup = await createTeam({ name: 'BILLING ' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json<Problem>()).toMatchObject({ code: 'conflict', errors: [{ path: 'body.name' }] });

      const other = await newTeam({ name: 'Refunds' });
      const rename = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/teams/${other.id}`,
        payload: { name: 'billing' },
      });
      expect(rename.statusCode).toBe(409);
      // A team may change the case of its own name.
      const recase = await tenant.owner.request({
        method: 'PATCH',
        url: `/api/v1/teams/${team.id}`,
        payload: { name: 'BILLING' },
      });
      expect(recase.json()).toMatchObject({ name: 'BILLING' });
      // Another organization may use the same name.
      const elsewhere = await createTenant(app);
      expect((await createTeam({ name: 'Billing' }, elsewhere.owner)).statusCode).toBe(201);
    });

    it('adds only active users of the organization', async () => {
      const team = await newTeam({ name: 'Members only' });
      const stranger = await addMember(team.id, randomUUID());
      expect(stranger.statusCode).toBe(404);
      const foreign = await createTenant(app);
      expect((await addMember(team.id, foreign.ownerId)).statusCode).toBe(404);
      expect((await addMember(randomUUID(), agent.id)).statusCode).toBe(404);

      const leaver = await addUser(app, tenant, 'agent');
      await tenant.owner.request({ method: 'POST', url: `/api/v1/users/${leaver.id}/deactivate` });
      const inactive = await addMember(team.id, leaver.id);
      expect(inactive.statusCode).toBe(400);
      expect(paths(inactive.json())).toEqual(['params.userId']);
      expect((await addMember(team.id, tenant.ownerId)).statusCode).toBe(201);
    });
  });

  describe('availability', () => {
    it('lets users set their own availability, shown in their profile', async () => {
      const user = await addUser(app, tenant, 'agent');
      const me = await user.caller.request({ method: 'GET', url: '/api/v1/me' });
      expect(me.json()).toMatchObject({ user: { availability: 'online' } });
      const busy = await user.caller.request({
        method: 'PATCH',
        url: '/api/v1/me',
        payload: { availability: 'busy' },
      });
      expect(busy.statusCode).toBe(200);
      expect(busy.json()).toMatchObject({ user: { availability: 'busy' } });
      const bad = await user.caller.request({
        method: 'PATCH',
        url: '/api/v1/me',
        payload: { availability: 'away' },
      });
      expect(paths(bad.json())).toEqual(['body.availability']);
    });
  });

  describe('conversations', () => {
    it('moves a conversation between teams with PATCH teamId', async () => {
      const { org, teamId, arrive } = await teamScenario(app, 0);
      const c = await arrive();
      expect(c.teamId).toBe(teamId);
      const other = await org.owner.request({
        method: 'POST',
        url: '/api/v1/teams',
        payload: { name: 'Sales' },
      });
      const otherId = other.json<Team>().id;
      const patch = (payload: object) =>
        org.owner.request({ method: 'PATCH', url: `/api/v1/conversations/${c.id}`, payload });

      const moved = await patch({ teamId: otherId });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({ teamId: otherId });
      expect((await patch({ teamId: null })).json()).toMatchObject({ teamId: null });

      const unknown = await patch({ teamId: randomUUID() });
      expect(unknown.statusCode).toBe(400);
      expect(paths(unknown.json())).toEqual(['body.teamId']);
      const foreignTeam = await newTeam({ name: `Foreign ${randomUUID()}` });
      expect(paths((await patch({ teamId: foreignTeam.id })).json())).toEqual(['body.teamId']);
      expect(paths((await patch({ teamId: 'sales' })).json())).toEqual(['body.teamId']);
      expect((await conversation(org, c.id))!.teamId).toBeNull();
    });

    it('notifies an agent assigned by someone else, not one who takes a conversation', async () => {
      const { org, arrive } = await teamScenario(app, 0);
      const [ana, bea] = [await addUser(app, org, 'agent'), await addUser(app, org, 'agent')];
      const c = await arrive();
      const assign = (caller: Caller, assigneeId: string) =>
        caller.request({ method: 'PATCH', url: `/api/v1/conversations/${c.id}`, payload: { assigneeId } });
      expect((await assign(org.owner, ana.id)).statusCode).toBe(200);
      expect((await assign(bea.caller, bea.id)).statusCode).toBe(200);
      const tenantId = org.organizationId;
      const notes = (userId: string) =>
        app.database.tenant(tenantId, (tx) =>
          notificationsRepo(tx).listForUser(tenantId, userId, { unreadOnly: false }, 10),
        );
      expect(await notes(ana.id)).toEqual([
        expect.objectContaining({ kind: 'assignment', conversationId: c.id, actorUserId: org.ownerId }),
      ]);
      expect(await notes(bea.id)).toEqual([]);
      const events = await readSettledEvents(app.database, tenantId);
      const notices = events.filter((e) => e.type === 'notification.created');
      expect(notices.map((e) => e.recipientUserId)).toEqual([ana.id]);
    });

    it('deleting a team unteams its conversations and numbers, in one change', async () => {
      const { org, number, teamId, members, arrive } = await teamScenario(app, 1);
      const c = await arrive();
      expect(c).toMatchObject({ teamId, assigneeId: members[0]!.id });
      const res = await org.owner.request({ method: 'DELETE', url: `/api/v1/teams/${teamId}` });
      expect(res.statusCode).toBe(204);
      // The conversation keeps its assignee; only the team goes.
      expect(await conversation(org, c.id)).toMatchObject({ teamId: null, assigneeId: members[0]!.id });
      const n = await org.owner.request({ method: 'GET', url: `/api/v1/whatsapp/numbers/${number.id}` });
      expect(n.json()).toMatchObject({ defaultTeamId: null });
      expect(await arrive()).toMatchObject({ teamId: null, assigneeId: null });
      const audit = await org.owner.request({ method: 'GET', url: `/api/v1/audit-log?action=team.deleted` });
      expect(audit.json<{ items: { after: unknown }[] }>().items[0]!.after).toEqual({
        membersRemoved: 1,
        conversationsUnteamed: 1,
        numbersWithoutDefaultTeam: 1,
      });
      // A team of another organization, or none, cannot be a number's default.
      const bad = await org.owner.request({
        method: 'PATCH',
        url: `/api/v1/whatsapp/numbers/${number.id}`,
        payload: { defaultTeamId: teamId },
      });
      expect(bad.statusCode).toBe(400);
      expect(paths(bad.json())).toEqual(['body.defaultTeamId']);
    });
  });
});
