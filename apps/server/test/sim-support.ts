// Helpers for tests where the real WhatsApp simulator delivers signed webhooks over real HTTP to a
// listening Switchboard: a simulated business, connecting its number through the API, reading back
// what the simulator sent and what the server stored.
import { randomBytes, randomInt } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DeliveryRecord, SimConfigInput, Simulator } from '@switchboard/wa-sim';
import type { SwitchboardApp } from '../src/app.ts';
import type { Database } from '../src/platform/db/database.ts';
import { contacts } from '../src/modules/contacts/contacts.tables.ts';
import { messages } from '../src/modules/conversations/conversations.tables.ts';
import { webhookReceipts } from '../src/modules/whatsapp/whatsapp.tables.ts';
import { waitFor } from './whatsapp-support.ts';

const bigId = () => `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;

/** A business on the simulator, with the credentials its number is connected with. */
export interface SimBusiness {
  wabaId: string;
  phoneNumberId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

export function simBusiness(): SimBusiness {
  const phoneNumberId = bigId();
  return {
    wabaId: bigId(),
    phoneNumberId,
    accessToken: `EAAG-${randomBytes(12).toString('hex')}`,
    appSecret: `app-secret-${randomBytes(12).toString('hex')}`,
    verifyToken: `verify-${phoneNumberId}`,
  };
}

/** The simulator config of `business` (every other key as given). */
export function simConfig(business: SimBusiness, rest: SimConfigInput = {}): SimConfigInput {
  return {
    ...rest,
    businesses: [
      {
        wabaId: business.wabaId,
        name: 'Sim Co',
        accessToken: business.accessToken,
        phoneNumbers: [
          {
            id: business.phoneNumberId,
            displayPhoneNumber: '15550100',
            verifiedName: 'Sim Co',
            throughputMps: 1000,
          },
        ],
      },
    ],
  };
}

/** The body of `POST /api/v1/whatsapp/numbers` connecting `business`, its Graph API on the simulator. */
export function connectPayload(business: SimBusiness, graphBaseUrl: string) {
  return {
    phoneNumberId: business.phoneNumberId,
    wabaId: business.wabaId,
    displayPhoneNumber: '+1 555 0100',
    accessToken: business.accessToken,
    appSecret: business.appSecret,
    verifyToken: business.verifyToken,
    purpose: 'Simulated',
    graphBaseUrl,
  };
}

// A free loopback port; kept with the CLI helpers (bench scripts import them without vitest).
export { freePort } from './cli-process-support.ts';

/** A random Brazilian mobile WhatsApp id. */
export const simCustomer = () => `55119${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

/** Message ids and senders carried by delivery bodies (every entry, change and message). */
export function sentMessages(records: DeliveryRecord[]): Map<string, string> {
  const sent = new Map<string, string>();
  for (const r of records) {
    const body = JSON.parse(r.body) as {
      entry: { changes: { value: { messages?: { id: string; from: string }[] } }[] }[];
    };
    for (const entry of body.entry)
      for (const change of entry.changes) for (const m of change.value.messages ?? []) sent.set(m.id, m.from);
  }
  return sent;
}

/** The status updates (wamid, status) of delivery bodies, in the order the simulator queued them. */
export function sentStatuses(records: DeliveryRecord[]): { id: string; status: string }[] {
  const out: { id: string; status: string }[] = [];
  for (const r of records) {
    const body = JSON.parse(r.body) as {
      entry: { changes: { value: { statuses?: { id: string; status: string }[] } }[] }[];
    };
    for (const entry of body.entry)
      for (const change of entry.changes)
        for (const s of change.value.statuses ?? []) out.push({ id: s.id, status: s.status });
  }
  return out;
}

/**
 * Waits until every delivery the simulator has logged is settled (delivered or dropped). Unlike
 * `whenWebhooksIdle`, this also waits for injected duplicates, which are queued only after the
 * original is delivered.
 */
export async function simSettled(sim: Simulator, minRecords = 0, ms = 60_000): Promise<DeliveryRecord[]> {
  const settled = () =>
    waitFor(async () => {
      await sim.whenWebhooksIdle();
      const records = sim.deliveries(5000);
      const done = records.length >= minRecords && records.every((r) => r.state !== 'pending');
      return done && sim.webhookStats().pending === 0 ? records : undefined;
    }, ms);
  for (;;) {
    const first = await settled();
    // A duplicate is queued up to 100 ms after its original is acknowledged: look again later.
    await new Promise((r) => setTimeout(r, 150));
    const again = await settled();
    if (again.length === first.length) return again;
  }
}

export interface StoredInbound {
  externalId: string;
  conversationId: string;
  contactId: string;
  contactWaId: string | null;
  direction: string;
  status: string;
  statusAt: Date | null;
  content: Record<string, unknown>;
}

/** The stored messages with these WhatsApp ids (one row per stored message), with their contact. */
export async function storedMessages(
  database: Database,
  tenantId: string,
  externalIds: string[],
): Promise<StoredInbound[]> {
  if (externalIds.length === 0) return [];
  return database.tenant(tenantId, (tx) =>
    tx
      .select({
        externalId: sql<string>`${messages.externalId}`,
        conversationId: messages.conversationId,
        contactId: messages.contactId,
        contactWaId: contacts.waId,
        direction: messages.direction,
        status: messages.status,
        statusAt: messages.statusAt,
        content: messages.content,
      })
      .from(messages)
      .innerJoin(contacts, eq(contacts.id, messages.contactId))
      .where(and(eq(messages.tenantId, tenantId), inArray(messages.externalId, externalIds))),
  );
}

/** Webhook receipts whose body mentions `needle` (e.g. the simulated phone number id). */
export async function receiptsMentioning(
  database: Database,
  needle: string,
  options: { unprocessedOnly?: boolean } = {},
): Promise<number> {
  const rows = await database.system((tx) =>
    tx
      .select({ id: webhookReceipts.id })
      .from(webhookReceipts)
      .where(
        and(
          sql`position(${needle} in ${webhookReceipts.body}) > 0`,
          options.unprocessedOnly ? isNull(webhookReceipts.processedAt) : undefined,
        ),
      ),
  );
  return rows.length;
}

/** Resolves once every receipt mentioning `needle` has been processed by the intake job. */
export function receiptsProcessed(app: SwitchboardApp, needle: string, ms = 60_000): Promise<true> {
  return waitFor(
    async () =>
      (await receiptsMentioning(app.database, needle, { unprocessedOnly: true })) === 0 ? true : undefined,
    ms,
  );
}

/** Sends a text from the business through the simulator's Graph API, as the server's sender will. */
export async function sendFromBusiness(
  sim: Simulator,
  business: SimBusiness,
  to: string,
  body: string,
): Promise<string> {
  const res = await fetch(`${sim.url}/v24.0/${business.phoneNumberId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${business.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', to, type: 'text', text: { body } }),
  });
  const json = (await res.json()) as { messages?: { id: string }[] };
  const id = json.messages?.[0]?.id;
  if (res.status !== 200 || !id) throw new Error(`Graph send failed: ${res.status} ${JSON.stringify(json)}`);
  return id;
}

/** Waits until a synchronous condition (simulator state) holds. */
export function until(condition: () => boolean, ms = 30_000): Promise<true> {
  return waitFor(() => Promise.resolve(condition() ? true : undefined), ms);
}
