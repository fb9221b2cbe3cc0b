// A rig for outbound tests: the real app listening on loopback, the WhatsApp simulator delivering
// its webhooks to it and taking its sends, and one business number connected through the API.
import { deflateSync } from 'node:zlib';
import { startSimulator, type OutboxEntry, type Simulator, type SimulatorOptions } from '@switchboard/wa-sim';
import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { SwitchboardApp } from '../src/app.ts';
import type { DeliveryOptions } from '../src/modules/outbound/delivery.ts';
import { contacts } from '../src/modules/contacts/contacts.tables.ts';
import { conversations, messages } from '../src/modules/conversations/conversations.tables.ts';
import { createTenant, createTestApp, type TestTenant } from './harness.ts';
import { connectPayload, simBusiness, simConfig, type SimBusiness } from './sim-support.ts';
import { waitFor } from './whatsapp-support.ts';

export interface OutboundRig {
  app: SwitchboardApp;
  sim: Simulator;
  tenant: TestTenant;
  business: SimBusiness;
  numberId: string;
  close(): Promise<void>;
}

export async function startOutboundRig(
  options: {
    sim?: Partial<SimulatorOptions>;
    number?: Record<string, unknown>;
    delivery?: Partial<DeliveryOptions>;
  } = {},
): Promise<OutboundRig> {
  const app = await createTestApp(options.delivery ? { delivery: options.delivery } : {});
  const webhookUrl = `${await app.http.listen({ host: '127.0.0.1', port: 0 })}/webhooks/whatsapp`;
  const tenant = await createTenant(app);
  const business = simBusiness();
  const sim = await startSimulator({
    port: 0,
    seed: 7,
    appSecret: business.appSecret,
    verifyToken: business.verifyToken,
    ...simConfig(business, {
      webhook: { concurrency: 16, retryDelaysMs: [20, 50, 100, 200, 400] },
      statusDelays: { sentMs: 30, deliveredMs: 60, readMs: 90 },
      ...options.sim,
    }),
  });
  const res = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/whatsapp/numbers',
    payload: { ...connectPayload(business, sim.url), ...options.number },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(await sim.setWebhook({ url: webhookUrl })).toBe('verified');
  return {
    app,
    sim,
    tenant,
    business,
    numberId: res.json<{ id: string }>().id,
    async close() {
      await sim.close();
      await app.close();
    },
  };
}

/** The client writes (opening the 24-hour window); resolves with their conversation's id. */
export async function clientWrites(rig: OutboundRig, from: string, body = 'hello'): Promise<string> {
  const { id } = rig.sim.inbound({
    phoneNumberId: rig.business.phoneNumberId,
    from,
    type: 'text',
    text: { body },
  });
  return waitFor(async () => {
    const [row] = await rig.app.database.tenant(rig.tenant.organizationId, (tx) =>
      tx
        .select({ conversationId: messages.conversationId })
        .from(messages)
        .where(and(eq(messages.tenantId, rig.tenant.organizationId), eq(messages.externalId, id))),
    );
    return row?.conversationId;
  });
}

export interface SentView {
  id: string;
  status: string;
  type: string;
  content: Record<string, unknown>;
  externalId: string | null;
  errorCode: string | null;
  errorTitle: string | null;
}

export async function sendMessage(
  rig: OutboundRig,
  conversationId: string,
  payload: Record<string, unknown>,
): Promise<SentView> {
  const res = await rig.tenant.owner.request({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/messages`,
    payload,
  });
  expect(res.statusCode, res.body).toBe(202);
  const view = res.json<SentView>();
  expect(view.status).toBe('queued');
  return view;
}

/** A stored message, read directly. */
export async function messageRow(rig: OutboundRig, id: string) {
  const [row] = await rig.app.database.tenant(rig.tenant.organizationId, (tx) =>
    tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, rig.tenant.organizationId), eq(messages.id, id))),
  );
  return row;
}

/** Waits until the message reaches one of `statuses`. */
export function messageReaches(rig: OutboundRig, id: string, statuses: string[], ms = 20_000) {
  return waitFor(async () => {
    const row = await messageRow(rig, id);
    return row && statuses.includes(row.status) ? row : undefined;
  }, ms);
}

/** What the simulator took from this business for a client, in the order it took them. */
export function outboxTo(rig: OutboundRig, to: string): OutboxEntry[] {
  return rig.sim
    .outbox({ phoneNumberId: rig.business.phoneNumberId, to })
    .sort((a, b) => a.createdAt - b.createdAt);
}

/** The text bodies the simulator took for a client, in the order it took them. */
export function textsTo(rig: OutboundRig, to: string): (string | undefined)[] {
  return outboxTo(rig, to).map((e) => (e.request['text'] as { body: string } | undefined)?.body);
}

/**
 * Queues `rounds` texts to each conversation, round by round (`${label} ${round}`); resolves with
 * the messages' ids in the order written.
 */
export async function sendRounds(
  rig: OutboundRig,
  conversationIds: string[],
  rounds: number,
  label: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const conversationId of conversationIds) {
      ids.push(
        (await sendMessage(rig, conversationId, { type: 'text', text: { body: `${label} ${i}` } })).id,
      );
    }
  }
  return ids;
}

/** Moves a conversation's 24-hour window into the past. */
export async function closeWindow(rig: OutboundRig, conversationId: string): Promise<void> {
  await rig.app.database.tenant(rig.tenant.organizationId, (tx) =>
    tx
      .update(conversations)
      .set({ windowExpiresAt: new Date(Date.now() - 60_000) })
      .where(
        and(eq(conversations.tenantId, rig.tenant.organizationId), eq(conversations.id, conversationId)),
      ),
  );
}

export async function contactOf(rig: OutboundRig, waId: string) {
  const [row] = await rig.app.database.tenant(rig.tenant.organizationId, (tx) =>
    tx
      .select()
      .from(contacts)
      .where(and(eq(contacts.tenantId, rig.tenant.organizationId), eq(contacts.waId, waId))),
  );
  return row;
}

/** A valid 2x2 RGB PNG. */
export function pngBytes(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    let c = ~0;
    for (const byte of body) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    crc.writeUInt32BE(~c >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 255, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Uploads a file to us (`POST /api/v1/attachments`); resolves with its id. */
export async function uploadAttachment(
  rig: OutboundRig,
  bytes: Buffer,
  type: string,
  filename: string,
  caller = rig.tenant.owner,
): Promise<string> {
  const res = await caller.request({
    method: 'POST',
    url: `/api/v1/attachments?filename=${encodeURIComponent(filename)}`,
    headers: { 'content-type': type },
    payload: bytes,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}
