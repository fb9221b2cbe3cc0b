import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { realtimeEvents } from '../../platform/realtime/realtime.tables.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import {
  addUser,
  apiKeyCaller,
  createTenant,
  createTestApp,
  engine,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { connectNumber } from '../../../test/whatsapp-support.ts';
import { customer, inboundText } from '../../../test/inbox-support.ts';

interface Convo {
  id: string;
  status: string;
  assigneeId: string | null;
  teamId: string | null;
  labels: { id: string; name: string }[];
}
interface BulkAnswer {
  results: { id: string; ok: boolean; code?: string }[];
  succeeded: number;
  failed: number;
}
interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string }[];
}

const bulk = (caller: Caller, payload: unknown) =>
  caller.request({ method: 'POST', url: '/api/v1/conversations/bulk', payload: payload as object });

describe(`POST /api/v1/conversations/bulk (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let victim: TestTenant;
  const mine: string[] = [];
  let victimConversation: string;

  /** A new conversation of `t` (a customer writing to one of its numbers). */
  async function conversationOf(t: TestTenant, number: Awaited<ReturnType<typeof connectNumber>>) {
    return (await inboundText(app, t.organizationId, number, customer(), 'hello')).conversationId;
  }
  const view = async (caller: Caller, id: string) =>
    (await caller.request({ method: 'GET', url: `/api/v1/conversations/${id}` })).json<Convo>();
  /** The realtime event types written for a conversation, in order. */
  const eventTypes = async (tenantId: string, ids: string[]) => {
    const rows = await app.database.tenant(tenantId, (tx) =>
      tx
        .select({ type: realtimeEvents.type, conversationId: realtimeEvents.conversationId })
        .from(realtimeEvents)
        .where(and(eq(realtimeEvents.tenantId, tenantId), inArray(realtimeEvents.conversationId, ids)))
        .orderBy(realtimeEvents.seq),
    );
    return new Map(ids.map((id) => [id, rows.filter((r) => r.conversationId === id).map((r) => r.type)]));
  };

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await createTenant(app);
    victim = await createTenant(app);
    const number = await connectNumber(tenant, 'Sales');
    for (let i = 0; i < 4; i++) mine.push(await conversationOf(tenant, number));
    victimConversation = await conversationOf(victim, await connectNumber(victim, 'Victim'));
  });
  afterAll(async () => app.close());

  it('assigns, sets status and labels each conversation with the events its single route writes', async () => {
    const agent = await addUser(app, tenant, 'agent');
    const team = (
      await tenant.owner.request({ method: 'POST', url: '/api/v1/teams', payload: { name: 'Billing' } })
    ).json<{ id: string }>();
    const label = (
      await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/labels',
        payload: { name: 'Bulk VIP', color: '#112233' },
      })
    ).json<{ id: string }>();
    const [single, a, b] = mine as [string, string, string];
    const before = await eventTypes(tenant.organizationId, [single, a, b]);

    // The single routes on one conversation, the bulk route on two others: the same events each.
    const patch = (payload: object) =>
      tenant.owner.request({ method: 'PATCH', url: `/api/v1/conversations/${single}`, payload });
    expect((await patch({ assigneeId: agent.id, teamId: team.id })).statusCode).toBe(200);
    expect((await patch({ status: 'pending' })).statusCode).toBe(200);
    const labelUrl = `/api/v1/conversations/${single}/labels/${label.id}`;
    expect((await tenant.owner.request({ method: 'PUT', url: labelUrl })).statusCode).toBe(200);
    expect((await tenant.owner.request({ method: 'DELETE', url: labelUrl })).statusCode).toBe(200);
    expect((await tenant.owner.request({ method: 'PUT', url: labelUrl })).statusCode).toBe(200);

    const ids = [a, b];
    for (const action of [
      { type: 'assign', assigneeId: agent.id, teamId: team.id },
      { type: 'status', status: 'pending' },
      { type: 'addLabel', labelId: label.id },
      { type: 'removeLabel', labelId: label.id },
      { type: 'addLabel', labelId: label.id },
    ]) {
      const res = await bulk(tenant.owner, { ids, action });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<BulkAnswer>()).toEqual({
        results: ids.map((id) => ({ id, ok: true })),
        succeeded: 2,
        failed: 0,
      });
    }
    for (const id of ids) {
      expect(await view(tenant.owner, id)).toMatchObject({
        status: 'pending',
        assigneeId: agent.id,
        teamId: team.id,
        labels: [{ id: label.id, name: 'Bulk VIP' }],
      });
    }
    const after = await eventTypes(tenant.organizationId, [single, a, b]);
    const added = (id: string) => after.get(id)!.slice(before.get(id)!.length);
    expect(added(single)).toContain('conversation.assigned');
    expect(added(a)).toEqual(added(single));
    expect(added(b)).toEqual(added(single));

    // The agent was notified once per conversation, as by the single route.
    const notifications = await agent.caller.request({ method: 'GET', url: '/api/v1/notifications' });
    const assigned = notifications
      .json<{ items: { kind: string; conversationId: string | null }[] }>()
      .items.filter((n) => n.kind === 'assignment')
      .map((n) => n.conversationId);
    expect(assigned.sort()).toEqual([single, a, b].sort());

    // Resolving, then unassigning: back to open is the single route's rules too.
    const resolved = await bulk(tenant.owner, { ids, action: { type: 'status', status: 'resolved' } });
    expect(resolved.json<BulkAnswer>().succeeded).toBe(2);
    const unassigned = await bulk(agent.caller, { ids, action: { type: 'assign', assigneeId: null } });
    expect(unassigned.json<BulkAnswer>().succeeded).toBe(2);
    expect(await view(tenant.owner, a)).toMatchObject({
      status: 'resolved',
      assigneeId: null,
      teamId: team.id,
    });
  });

  it('reports another organization’s ids as not found, per id, and never changes them', async () => {
    const label = (
      await tenant.owner.request({
        method: 'POST',
        url: '/api/v1/labels',
        payload: { name: 'Mallory', color: '#ff0000' },
      })
    ).json<{ id: string }>();
    const victimBefore = await view(victim.owner, victimConversation);
    const victimEvents = (await eventTypes(victim.organizationId, [victimConversation])).get(
      victimConversation,
    );
    const own = mine[3]!;
    const unknown = uuidv7();
    const key = await apiKeyCaller(app, tenant, ['conversations.read', 'conversations.manage']);
    for (const caller of [tenant.owner, key]) {
      for (const action of [
        { type: 'status', status: 'resolved' },
        { type: 'assign', assigneeId: null, teamId: null },
        { type: 'addLabel', labelId: label.id },
        { type: 'removeLabel', labelId: label.id },
      ]) {
        const res = await bulk(caller, { ids: [victimConversation, own, unknown], action });
        expect(res.statusCode, res.body).toBe(200);
        const answer = res.json<BulkAnswer>();
        expect(answer.results.map((r) => [r.id, r.ok, r.code])).toEqual([
          [victimConversation, false, 'not_found'],
          [own, true, undefined],
          [unknown, false, 'not_found'],
        ]);
        expect(answer).toMatchObject({ succeeded: 1, failed: 2 });
        expect(res.body).not.toContain(victim.ownerEmail);
      }
    }
    expect(await view(victim.owner, victimConversation)).toEqual(victimBefore);
    expect((await eventTypes(victim.organizationId, [victimConversation])).get(victimConversation)).toEqual(
      victimEvents,
    );
  });

  it('answers 400 for invalid input and 422 for what is not there, listing every issue, changing nothing', async () => {
    const bad = await bulk(tenant.owner, {
      ids: [mine[0], 'not-a-uuid', mine[0]],
      action: { type: 'status', status: 'snoozed' },
      extra: true,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const problem = bad.json<Problem>();
    expect(problem).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(
      ['body', 'body.action.status', 'body.ids.1', 'body.ids.2'].sort(),
    );

    const tooMany = Array.from({ length: 501 }, () => uuidv7());
    const many = await bulk(tenant.owner, { ids: tooMany, action: { type: 'assign' } });
    expect(many.statusCode).toBe(400);
    expect(
      many
        .json<Problem>()
        .errors!.map((e) => e.path)
        .sort(),
    ).toEqual(['body.action.assigneeId', 'body.ids']);
    expect(
      (await bulk(tenant.owner, { ids: [], action: { type: 'nope' } })).json<Problem>().errors,
    ).toHaveLength(2);

    // A victim's label or team, or a user of another organization: 422, nothing touched.
    const victimLabel = (
      await victim.owner.request({
        method: 'POST',
        url: '/api/v1/labels',
        payload: { name: 'Theirs', color: '#00ff00' },
      })
    ).json<{ id: string }>();
    const before = await view(tenant.owner, mine[0]!);
    const refused = await bulk(tenant.owner, {
      ids: [mine[0]],
      action: { type: 'addLabel', labelId: victimLabel.id },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<Problem>().errors).toEqual([
      { path: 'body.action.labelId', message: 'No label with this id in the organization' },
    ]);
    const stranger = await bulk(tenant.owner, {
      ids: [mine[0]],
      action: { type: 'assign', assigneeId: victim.ownerId, teamId: uuidv7() },
    });
    expect(stranger.json<Problem>().errors!.map((e) => e.path)).toEqual([
      'body.action.assigneeId',
      'body.action.teamId',
    ]);
    expect(await view(tenant.owner, mine[0]!)).toEqual(before);
  });

  it('needs conversations.manage, checked once for the request', async () => {
    const reader = await apiKeyCaller(app, tenant, ['conversations.read']);
    const res = await bulk(reader, { ids: [mine[0]], action: { type: 'status', status: 'open' } });
    expect(res.statusCode).toBe(403);
  });
});
