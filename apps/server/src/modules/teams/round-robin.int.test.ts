import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { readSettledEvents } from '../../platform/realtime/realtime.repo.ts';
import { notificationsRepo } from '../notifications/notifications.repo.ts';
import { createTestApp, engine, type addUser } from '../../../test/harness.ts';
import { connectNumber } from '../../../test/whatsapp-support.ts';
import { tally, teamScenario } from '../../../test/teams-support.ts';

type Agent = Awaited<ReturnType<typeof addUser>>;

describe(`round robin (${engine})`, () => {
  let app: SwitchboardApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app.close());

  it('gives new conversations of a number to its default team, in rotation', async () => {
    const { members, teamId, arrive } = await teamScenario(app, 3);
    const assigned: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await arrive();
      expect(c.teamId).toBe(teamId);
      assigned.push(c.assigneeId);
    }
    const ids = members.map((m) => m.id);
    // Never given anything, members go in the order they joined; then the least recent goes next.
    expect(assigned).toEqual([...ids, ...ids]);
  });

  it('skips busy, offline and deactivated members, and leaves the conversation unassigned when nobody is left', async () => {
    const { org, members, arrive } = await teamScenario(app, 4);
    const [online, busy, offline, gone] = members as [Agent, Agent, Agent, Agent];
    await busy.caller.request({ method: 'PATCH', url: '/api/v1/me', payload: { availability: 'busy' } });
    await offline.caller.request({
      method: 'PATCH',
      url: '/api/v1/me',
      payload: { availability: 'offline' },
    });
    await org.owner.request({ method: 'POST', url: `/api/v1/users/${gone.id}/deactivate` });
    for (let i = 0; i < 3; i++) expect((await arrive()).assigneeId).toBe(online.id);

    await online.caller.request({
      method: 'PATCH',
      url: '/api/v1/me',
      payload: { availability: 'offline' },
    });
    const nobody = await arrive();
    expect(nobody.teamId).not.toBeNull();
    expect(nobody.assigneeId).toBeNull();

    await busy.caller.request({ method: 'PATCH', url: '/api/v1/me', payload: { availability: 'online' } });
    expect((await arrive()).assigneeId).toBe(busy.id);
  });

  it('respects the team’s capacity per agent, counting open and pending conversations', async () => {
    const { org, members, arrive } = await teamScenario(app, 2, { autoAssign: true, maxOpenPerAgent: 1 });
    const first = await arrive();
    const second = await arrive();
    expect(new Set([first.assigneeId, second.assigneeId])).toEqual(new Set(members.map((m) => m.id)));
    const third = await arrive();
    expect(third.assigneeId).toBeNull();

    // Pending still counts; resolving frees the agent.
    const pend = await org.owner.request({
      method: 'PATCH',
      url: `/api/v1/conversations/${first.id}`,
      payload: { status: 'pending' },
    });
    expect(pend.statusCode).toBe(200);
    expect((await arrive()).assigneeId).toBeNull();
    await org.owner.request({
      method: 'PATCH',
      url: `/api/v1/conversations/${first.id}`,
      payload: { status: 'resolved' },
    });
    expect((await arrive()).assigneeId).toBe(first.assigneeId);
  });

  it('sets only the team when the team does not auto-assign', async () => {
    const { teamId, arrive } = await teamScenario(app, 2, { autoAssign: false });
    const c = await arrive();
    expect(c).toMatchObject({ teamId, assigneeId: null });
  });

  it('leaves conversations of a number without a default team alone', async () => {
    const { org, arrive } = await teamScenario(app, 1);
    const plain = await connectNumber(org, 'No team');
    expect(await arrive(plain)).toMatchObject({ teamId: null, assigneeId: null });
  });

  it('distributes new conversations arriving together fairly', async () => {
    const { members, arrive, arriveAtOnce } = await teamScenario(app, 3);
    const ids = members.map((m) => m.id).sort();
    const webhooks = await Promise.all(Array.from({ length: 10 }, () => arrive()));
    const counts = tally(webhooks.map((c) => c.assigneeId));
    expect([...counts.keys()].sort()).toEqual(ids);
    expect([...counts.values()].sort()).toEqual([3, 3, 4]);

    // 12 concurrent transactions continue the rotation: exactly 4 more each.
    const concurrent = tally((await arriveAtOnce(12)).map((c) => c.assigneeId));
    expect(concurrent.get(null)).toBeUndefined();
    expect([...concurrent.values()]).toEqual([4, 4, 4]);
  });

  it('never exceeds capacity under concurrency', async () => {
    const { members, arriveAtOnce } = await teamScenario(app, 2, { autoAssign: true, maxOpenPerAgent: 3 });
    const convos = await arriveAtOnce(10);
    const counts = tally(convos.map((c) => c.assigneeId));
    expect(counts.get(members[0]!.id)).toBe(3);
    expect(counts.get(members[1]!.id)).toBe(3);
    expect(counts.get(null)).toBe(4);
  });

  it('notifies the round-robin assignee, with an event for them alone', async () => {
    const { org, members, arrive } = await teamScenario(app, 1);
    const c = await arrive();
    const assignee = members[0]!.id;
    expect(c.assigneeId).toBe(assignee);
    const tenantId = org.organizationId;
    const notes = await app.database.tenant(tenantId, (tx) =>
      notificationsRepo(tx).listForUser(tenantId, assignee, { unreadOnly: false }, 10),
    );
    const events = await readSettledEvents(app.database, tenantId);
    expect(notes).toEqual([
      expect.objectContaining({ kind: 'assignment', conversationId: c.id, actorUserId: null }),
    ]);
    const mine = events.filter((e) => e.conversationId === c.id);
    expect(mine.map((e) => e.type)).toEqual([
      'conversation.created',
      'conversation.assigned',
      'notification.created',
      'message.created',
    ]);
    expect(mine.find((e) => e.type === 'notification.created')).toMatchObject({
      recipientUserId: assignee,
      data: { id: notes[0]!.id, kind: 'assignment', conversationId: c.id },
    });
    expect(mine.find((e) => e.type === 'conversation.assigned')).toMatchObject({
      recipientUserId: null,
      data: { assigneeId: assignee },
    });
  });
});
