// The counts per tab come from tallies kept by triggers (migrations 0013-0014, ADR 0009). Whatever happens
// to conversations (intake, replies, read marks, assignment, status, team, priority, bulk actions, a
// contact merge, many clients writing at once) they must equal counting row by row, for every
// reader and filter, and a rebuild from the rows must find nothing to change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { inboxRepo, type CountFilter, type Reader } from './inbox.repo.ts';
import { labelsRepo } from '../labels/labels.repo.ts';
import type { Executor } from '../../platform/db/database.ts';
import { addUser, createTenant, createTestApp, engine, type TestTenant } from '../../../test/harness.ts';
import { connectNumber, type TestNumber } from '../../../test/whatsapp-support.ts';
import { customer, inboundText, storeOutbound, type StoredMessage } from '../../../test/inbox-support.ts';

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe(`inbox tallies (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  let sales: TestNumber;
  let support: TestNumber;
  let agent: Awaited<ReturnType<typeof addUser>>;
  let teamId: string;
  let labelId: string;
  let otherLabelId: string;
  const convos: StoredMessage[] = [];
  const waIds: string[] = [];

  const tallied = (reader: Reader, filter: CountFilter) =>
    app.database.tenant(tenant.organizationId, (tx) =>
      inboxRepo(tx).countTabs(tenant.organizationId, reader, filter),
    );
  const byRow = (reader: Reader, filter: CountFilter) =>
    app.database.tenant(tenant.organizationId, (tx) =>
      inboxRepo(tx).countTabsByRow(tenant.organizationId, reader, filter),
    );

  /** Every reader and filter: the tallies' counts equal the row-by-row ones. */
  async function expectAgreement(step: string): Promise<void> {
    const filters: CountFilter[] = [
      {},
      { statuses: ['open'] },
      { statuses: ['open', 'pending', 'snoozed'] },
      { statuses: ['resolved'] },
      { numberId: sales.id },
      { numberId: support.id, statuses: ['open'] },
      { teamId },
      { teamId, statuses: ['open'] },
      { priorities: ['high', 'urgent'] },
      { priorities: ['none'], numberId: sales.id, statuses: ['open'] },
      { labelId },
      { labelId, statuses: ['open'] },
      { labelId: otherLabelId, teamId, statuses: ['open', 'pending', 'snoozed', 'resolved'] },
    ];
    for (const reader of [tenant.ownerId, agent.id, null]) {
      for (const filter of filters) {
        expect(
          await tallied(reader, filter),
          `${step}: ${reader ?? 'key'} ${JSON.stringify(filter)}`,
        ).toEqual(await byRow(reader, filter));
      }
    }
  }

  const patch = (m: StoredMessage, payload: object) =>
    tenant.owner.request({ method: 'PATCH', url: `/api/v1/conversations/${m.conversationId}`, payload });
  const read = (m: StoredMessage) =>
    tenant.owner.request({ method: 'POST', url: `/api/v1/conversations/${m.conversationId}/read` });

  beforeAll(async () => {
    // Its own database on PostgreSQL: the last test rebuilds every tenant's tallies.
    app = await createTestApp({ ownDatabase: true });
    tenant = await createTenant(app);
    sales = await connectNumber(tenant, 'Sales');
    support = await connectNumber(tenant, 'Support');
    agent = await addUser(app, tenant, 'agent');
    const team = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { name: 'Tier 2' },
    });
    teamId = team.json<{ id: string }>().id;
    const label = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/labels',
      payload: { name: 'vip', color: '#aa0000' },
    });
    labelId = label.json<{ id: string }>().id;
    const other = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/labels',
      payload: { name: 'bug', color: '#00aa00' },
    });
    otherLabelId = other.json<{ id: string }>().id;
    for (let i = 0; i < 6; i++) {
      waIds.push(customer());
      convos.push(
        await inboundText(app, tenant.organizationId, i % 3 === 2 ? support : sales, waIds[i]!, `hi ${i}`, {
          at: ago(100 - i),
        }),
      );
    }
  });
  afterAll(async () => app.close());

  it('agree with counting row by row through every kind of change', async () => {
    const [a, b, c, d, e, f] = convos as [
      StoredMessage,
      StoredMessage,
      StoredMessage,
      StoredMessage,
      StoredMessage,
      StoredMessage,
    ];
    await expectAgreement('intake');

    expect((await read(a)).statusCode).toBe(204);
    expect((await read(b)).statusCode).toBe(204);
    await expectAgreement('read marks');

    await inboundText(app, tenant.organizationId, sales, waIds[0]!, 'again', { at: ago(50) });
    await storeOutbound(app, tenant.organizationId, b, ago(49));
    await expectAgreement('new inbound after a mark, a reply');

    expect((await patch(a, { assigneeId: agent.id, teamId, priority: 'urgent' })).statusCode).toBe(200);
    expect((await patch(b, { assigneeId: tenant.ownerId, status: 'pending' })).statusCode).toBe(200);
    expect(
      (await patch(c, { status: 'snoozed', snoozedUntil: new Date(Date.now() + 3600_000).toISOString() }))
        .statusCode,
    ).toBe(200);
    expect((await patch(d, { status: 'resolved', priority: 'high' })).statusCode).toBe(200);
    await expectAgreement('assignment, team, status, priority');

    const bulk = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/conversations/bulk',
      payload: {
        ids: [c.conversationId, e.conversationId, f.conversationId],
        action: { type: 'assign', assigneeId: agent.id },
      },
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    const labelled = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/conversations/bulk',
      payload: { ids: [a.conversationId, e.conversationId], action: { type: 'addLabel', labelId } },
    });
    expect(labelled.statusCode, labelled.body).toBe(200);
    await expectAgreement('bulk actions');
    const labelUrl = (m: StoredMessage, id: string) =>
      `/api/v1/conversations/${m.conversationId}/labels/${id}`;
    for (const m of [a, b, d]) {
      const put = await tenant.owner.request({ method: 'PUT', url: labelUrl(m, otherLabelId) });
      expect(put.statusCode, put.body).toBe(200);
    }
    expect((await tenant.owner.request({ method: 'DELETE', url: labelUrl(a, labelId) })).statusCode).toBe(
      200,
    );
    expect((await patch(b, { teamId, status: 'open' })).statusCode).toBe(200);
    await expectAgreement('labels put on and taken off, a labelled conversation changed');

    // A client whose WhatsApp id Meta withholds writes on the same number as e's: merged into e's
    // contact, the two open conversations become one.
    const withheld = await inboundText(
      app,
      tenant.organizationId,
      sales,
      { userId: `US.${customer()}` },
      'me too',
    );
    await expectAgreement('a second contact');
    const merged = await tenant.owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${e.contactId}/merge`,
      payload: { sourceContactId: withheld.contactId },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    await expectAgreement('contact merge');

    // A resolved conversation's client writes again: a new conversation.
    await inboundText(app, tenant.organizationId, sales, waIds[3]!, 'back', { at: ago(10) });
    expect((await read(d)).statusCode).toBe(204);
    await expectAgreement('reopened by a new conversation');

    const deleted = await tenant.owner.request({ method: 'DELETE', url: `/api/v1/labels/${otherLabelId}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    await expectAgreement('a label deleted');
  });

  it('stay exact when many clients write at once', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        inboundText(app, tenant.organizationId, i % 2 ? sales : support, customer(), `burst ${i}`),
      ),
    );
    await expectAgreement('concurrent intake');
  });

  it('stay exact when read marks and labels are written at once', async () => {
    // Each round: conversations the agent has not read, each read by the agent while a label is taken
    // off it and another put on; a mark must carry exactly the labels its conversation ends with.
    const urgent = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/labels',
      payload: { name: 'urgent', color: '#0000aa' },
    });
    const urgentId = urgent.json<{ id: string }>().id;
    for (let round = 0; round < 3; round++) {
      const fresh = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          inboundText(app, tenant.organizationId, i % 2 ? sales : support, customer(), `race ${round}.${i}`),
        ),
      );
      const labelUrl = (m: StoredMessage, id: string) =>
        `/api/v1/conversations/${m.conversationId}/labels/${id}`;
      for (const m of fresh) {
        const put = await tenant.owner.request({ method: 'PUT', url: labelUrl(m, labelId) });
        expect(put.statusCode, put.body).toBe(200);
      }
      const responses = await Promise.all(
        fresh.flatMap((m) => [
          agent.caller.request({ method: 'POST', url: `/api/v1/conversations/${m.conversationId}/read` }),
          tenant.owner.request({ method: 'DELETE', url: labelUrl(m, labelId) }),
          tenant.owner.request({ method: 'PUT', url: labelUrl(m, urgentId) }),
        ]),
      );
      for (const res of responses) expect(res.statusCode, res.body).toBeLessThan(300);
      await expectAgreement(`marks and labels at once, round ${round}`);
      const filter = { labelId: urgentId };
      expect(await tallied(agent.id, filter), `round ${round}`).toEqual(await byRow(agent.id, filter));
    }
  });

  it('copy a label onto a read mark whichever of the two transactions writes first', async () => {
    // The first transaction does its write and stays open while the second starts: the second must
    // wait for it (the conversation's lock) and then see its row, or the mark misses the label.
    const tenantId = tenant.organizationId;
    const created = await tenant.owner.request({
      method: 'POST',
      url: '/api/v1/labels',
      payload: { name: 'gate', color: '#aaaa00' },
    });
    const gateLabel = created.json<{ id: string }>().id;
    const mark = (m: StoredMessage) => (tx: Executor) =>
      inboxRepo(tx).markRead(tenantId, m.conversationId, agent.id, new Date());
    const label = (m: StoredMessage) => (tx: Executor) =>
      labelsRepo(tx).attachToConversation(tenantId, m.conversationId, gateLabel, new Date());
    for (const [name, first, second] of [
      ['mark first', mark, label],
      ['label first', label, mark],
    ] as const) {
      const m = await inboundText(app, tenantId, sales, customer(), name);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const firstWritten = new Promise<void>((resolve) => (written = resolve));
      const one = app.database.tenant(tenantId, async (tx) => {
        await first(m)(tx);
        written();
        await held;
      });
      await firstWritten;
      const two = app.database.tenant(tenantId, async (tx) => {
        await second(m)(tx);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      release();
      await Promise.all([one, two]);
      const { rows } = await app.database.executeSql(
        'select label_ids from conversation_reads where conversation_id = $1 and user_id = $2',
        [m.conversationId, agent.id],
      );
      expect(rows, name).toEqual([{ label_ids: [gateLabel] }]);
    }
  });

  it('are what a rebuild from the rows computes', async () => {
    const snapshot = () =>
      app.database.executeSql(
        `select label_id, status, assignee_id, team_id, number_id, priority, has_inbound, sum(n)::int as n
         from conversation_tallies where tenant_id = $1
         group by label_id, status, assignee_id, team_id, number_id, priority, has_inbound
         having sum(n) <> 0
         order by label_id nulls first, status, assignee_id, team_id, number_id, priority, has_inbound`,
        [tenant.organizationId],
      );
    const marks = () =>
      app.database.executeSql(
        `select conversation_id, user_id, caught_up, status, team_id, number_id, priority,
           array(select unnest(label_ids) order by 1) as label_ids
         from conversation_reads where tenant_id = $1 order by conversation_id, user_id`,
        [tenant.organizationId],
      );
    const before = { tallies: (await snapshot()).rows, marks: (await marks()).rows };
    expect(before.tallies.length).toBeGreaterThan(3);
    await app.database.executeSql('select sb_rebuild_inbox_tallies()');
    expect({ tallies: (await snapshot()).rows, marks: (await marks()).rows }).toEqual(before);
  });
});
