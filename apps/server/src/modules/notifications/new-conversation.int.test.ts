// `new_conversation` notifications: written in the inbound transaction that creates a conversation,
// for the number's default team, or everyone on the inbox without one; never deactivated users,
// another organization's users, or a second time for a later message of the same conversation.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { realtimeEvents } from '../../platform/realtime/realtime.tables.ts';
import {
  addUser,
  createTenant,
  createTestApp,
  engine,
  type Caller,
  type TestTenant,
} from '../../../test/harness.ts';
import { customer, inboundText } from '../../../test/inbox-support.ts';
import { connectNumber, type TestNumber } from '../../../test/whatsapp-support.ts';
import { notificationsRepo } from './notifications.repo.ts';
import { NEW_CONVERSATION_RECIPIENT_CAP } from './notifications.service.ts';
import { notifications } from './notifications.tables.ts';

interface Notification {
  id: string;
  kind: string;
  conversationId: string | null;
  actorUserId: string | null;
  contactName: string | null;
  numberPurpose: string | null;
}

describe(`new-conversation notifications (${engine})`, () => {
  let app: SwitchboardApp;
  let org: TestTenant;
  let other: TestTenant;
  let number: TestNumber;
  let teamNumber: TestNumber;
  let ana: Awaited<ReturnType<typeof addUser>>;
  let bo: Awaited<ReturnType<typeof addUser>>;
  let gone: Awaited<ReturnType<typeof addUser>>;
  let otherAgent: Awaited<ReturnType<typeof addUser>>;

  beforeAll(async () => {
    app = await createTestApp();
    org = await createTenant(app);
    other = await createTenant(app);
    number = await connectNumber(org, 'Pre-sales');
    teamNumber = await connectNumber(org, 'Premium support');
    ana = await addUser(app, org, 'agent');
    bo = await addUser(app, org, 'agent');
    gone = await addUser(app, org, 'agent');
    otherAgent = await addUser(app, other, 'agent');
    const deactivated = await org.owner.request({
      method: 'POST',
      url: `/api/v1/users/${gone.id}/deactivate`,
    });
    expect(deactivated.statusCode, deactivated.body).toBe(200);
    // The second number's default team is Bo alone (no round robin).
    const team = await org.owner.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { name: 'Premium' },
    });
    expect(team.statusCode, team.body).toBe(201);
    const teamId = team.json<{ id: string }>().id;
    const member = await org.owner.request({
      method: 'PUT',
      url: `/api/v1/teams/${teamId}/members/${bo.id}`,
    });
    expect(member.statusCode, member.body).toBe(201);
    const linked = await org.owner.request({
      method: 'PATCH',
      url: `/api/v1/whatsapp/numbers/${teamNumber.id}`,
      payload: { defaultTeamId: teamId },
    });
    expect(linked.statusCode, linked.body).toBe(200);
  });
  afterAll(async () => app.close());

  const newConversationsOf = async (caller: Caller) => {
    const res = await caller.request({ method: 'GET', url: '/api/v1/notifications?limit=100' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Notification[] }>().items.filter((n) => n.kind === 'new_conversation');
  };
  /** The `notification.created` events of a conversation, by recipient. */
  const eventRecipients = async (tenantId: string, conversationId: string) => {
    const rows = await app.database.tenant(tenantId, (tx) =>
      tx
        .select({ recipient: realtimeEvents.recipientUserId })
        .from(realtimeEvents)
        .where(
          and(
            eq(realtimeEvents.tenantId, tenantId),
            eq(realtimeEvents.type, 'notification.created'),
            eq(realtimeEvents.conversationId, conversationId),
          ),
        ),
    );
    return rows.map((r) => r.recipient).sort();
  };

  it('tells every active user with the inbox permission when the number has no default team, once', async () => {
    const waId = customer();
    const first = await inboundText(app, org.organizationId, number, waId, 'hello', { name: 'Maria Lima' });
    const expected = [org.ownerId, ana.id, bo.id].sort();

    for (const [caller, id] of [
      [org.owner, org.ownerId],
      [ana.caller, ana.id],
      [bo.caller, bo.id],
    ] as const) {
      const mine = (await newConversationsOf(caller)).filter(
        (n) => n.conversationId === first.conversationId,
      );
      expect(mine, id).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        actorUserId: null,
        contactName: 'Maria Lima',
        numberPurpose: 'Pre-sales',
      });
    }
    // One realtime event per recipient, addressed to them only; none for the deactivated user.
    expect(await eventRecipients(org.organizationId, first.conversationId)).toEqual(expected);

    // A second message in the same conversation tells nobody again.
    const second = await inboundText(app, org.organizationId, number, waId, 'are you there?');
    expect(second.conversationId).toBe(first.conversationId);
    expect(
      (await newConversationsOf(ana.caller)).filter((n) => n.conversationId === first.conversationId),
    ).toHaveLength(1);
    expect(await eventRecipients(org.organizationId, first.conversationId)).toEqual(expected);
  });

  it('tells only the members of the number’s default team when it has one', async () => {
    const m = await inboundText(app, org.organizationId, teamNumber, customer(), 'hi', { name: 'Rui' });
    const forBo = (await newConversationsOf(bo.caller)).filter((n) => n.conversationId === m.conversationId);
    expect(forBo).toHaveLength(1);
    expect(forBo[0]).toMatchObject({ contactName: 'Rui', numberPurpose: 'Premium support' });
    for (const caller of [org.owner, ana.caller]) {
      expect(
        (await newConversationsOf(caller)).filter((n) => n.conversationId === m.conversationId),
      ).toHaveLength(0);
    }
    expect(await eventRecipients(org.organizationId, m.conversationId)).toEqual([bo.id]);
  });

  it('never tells deactivated users nor another organization’s users', async () => {
    const stored = (tenantId: string) =>
      app.database.tenant(tenantId, (tx) =>
        tx
          .select({ userId: notifications.userId })
          .from(notifications)
          .where(eq(notifications.tenantId, tenantId)),
      );
    expect((await stored(org.organizationId)).some((n) => n.userId === gone.id)).toBe(false);
    expect(await stored(other.organizationId)).toEqual([]);
    expect(await newConversationsOf(otherAgent.caller)).toEqual([]);
    expect(await newConversationsOf(other.owner)).toEqual([]);
  });

  it('takes the recipients in one query, capped, the longest-standing users first', async () => {
    expect(NEW_CONVERSATION_RECIPIENT_CAP).toBe(200);
    const pick = (limit: number, excludeUserId: string | null = null) =>
      app.database.tenant(org.organizationId, (tx) =>
        notificationsRepo(tx).newConversationRecipients(
          org.organizationId,
          { teamId: null, excludeUserId },
          limit,
        ),
      );
    expect(await pick(2)).toEqual([org.ownerId, ana.id]);
    expect(await pick(10, ana.id)).toEqual([org.ownerId, bo.id]);
  });
});
