// Round-robin scenarios shared by the teams tests.
import { expect } from 'vitest';
import type { SwitchboardApp } from '../src/app.ts';
import { conversationsRepo } from '../src/modules/conversations/conversations.repo.ts';
import { addUser, createTenant, type TestTenant } from './harness.ts';
import { customer, inboundText, wamid } from './inbox-support.ts';
import { connectNumber, type TestNumber } from './whatsapp-support.ts';

export const conversationOf = (app: SwitchboardApp, t: TestTenant, id: string) =>
  app.database.tenant(t.organizationId, (tx) => conversationsRepo(tx).findById(t.organizationId, id));

/** An organization with a number whose default team has these agents, in membership order. */
export async function teamScenario(
  app: SwitchboardApp,
  agents: number,
  team: { autoAssign?: boolean; maxOpenPerAgent?: number | null } = { autoAssign: true },
) {
  const org = await createTenant(app);
  const number = await connectNumber(org, 'Support');
  const created = await org.owner.request({
    method: 'POST',
    url: '/api/v1/teams',
    payload: { name: 'Support', ...team },
  });
  const teamId = created.json<{ id: string }>().id;
  const members: Awaited<ReturnType<typeof addUser>>[] = [];
  for (let i = 0; i < agents; i++) {
    const a = await addUser(app, org, 'agent');
    const res = await org.owner.request({ method: 'PUT', url: `/api/v1/teams/${teamId}/members/${a.id}` });
    if (res.statusCode !== 201) throw new Error(`member: ${res.body}`);
    members.push(a);
  }
  const linked = await org.owner.request({
    method: 'PATCH',
    url: `/api/v1/whatsapp/numbers/${number.id}`,
    payload: { defaultTeamId: teamId },
  });
  if (linked.statusCode !== 200) throw new Error(`default team: ${linked.body}`);
  expect(linked.json()).toMatchObject({ defaultTeamId: teamId });
  /** A new client writes; resolves to the new conversation. */
  const arrive = async (on: TestNumber = number) => {
    const m = await inboundText(app, org.organizationId, on, customer(), 'hola');
    return (await conversationOf(app, org, m.conversationId))!;
  };
  /**
   * The same through the inbound service directly: the webhook worker handles its jobs one at a
   * time, and calls made together here run as truly concurrent transactions (on PostgreSQL).
   */
  const arriveAtOnce = async (count: number) => {
    const results = await Promise.all(
      Array.from({ length: count }, () => {
        const from = customer();
        return app.services.inbound.recordInbound(
          org.organizationId,
          number.id,
          { waId: from, userId: null, username: null, profileName: 'Cliente' },
          {
            externalId: wamid(),
            from,
            type: 'text',
            content: { body: 'hola' },
            replyToExternalId: null,
            forwarded: false,
            frequentlyForwarded: false,
            referral: null,
            occurredAt: new Date(),
            raw: {},
          },
        );
      }),
    );
    return Promise.all(results.map(async (r) => (await conversationOf(app, org, r.conversation!.id))!));
  };
  return { org, number, teamId, members, arrive, arriveAtOnce };
}

/** How many times each id occurs. */
export const tally = (ids: (string | null)[]) => {
  const counts = new Map<string | null, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
};
