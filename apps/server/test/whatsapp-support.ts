// Helpers for WhatsApp intake tests: connect a number, sign and post webhooks like Meta does.
import { createHmac, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import type { SwitchboardApp } from '../src/app.ts';
import type { TestTenant } from './harness.ts';
import { and, eq } from 'drizzle-orm';
import { messages } from '../src/modules/conversations/conversations.tables.ts';
import { webhookReceipts } from '../src/modules/whatsapp/whatsapp.tables.ts';

export const fixturesDir = fileURLToPath(new URL('../../../fixtures/whatsapp-cloud/pywa/', import.meta.url));

export type Json = Record<string, unknown>;

export function loadFixtures(file: string): Record<string, Json> {
  return JSON.parse(readFileSync(`${fixturesDir}${file}`, 'utf8')) as Record<string, Json>;
}

export interface TestNumber {
  id: string;
  phoneNumberId: string;
  wabaId: string;
  appSecret: string;
  verifyToken: string;
}

export async function connectNumber(tenant: TestTenant, purpose = 'Support'): Promise<TestNumber> {
  const phoneNumberId = `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;
  const wabaId = `${randomInt(100_000, 999_999)}${randomInt(100_000_000, 999_999_999)}`;
  const appSecret = `app-secret-${phoneNumberId}`;
  const verifyToken = `verify-${phoneNumberId}`;
  const res = await tenant.owner.request({
    method: 'POST',
    url: '/api/v1/whatsapp/numbers',
    payload: {
      phoneNumberId,
      wabaId,
      displayPhoneNumber: '+1 555 0100',
      accessToken: `token-${phoneNumberId}`,
      appSecret,
      verifyToken,
      purpose,
    },
  });
  if (res.statusCode !== 201) throw new Error(`connect failed: ${res.statusCode} ${res.body}`);
  return { id: res.json<{ id: string }>().id, phoneNumberId, wabaId, appSecret, verifyToken };
}

/** Points every change of a fixture body at our number, and makes message ids unique to `tag`. */
export function retarget(body: Json, number: TestNumber, tag: string): Json {
  const copy = JSON.parse(JSON.stringify(body)) as { entry: { id: string; changes: { value: Json }[] }[] };
  for (const entry of copy.entry) {
    entry.id = number.wabaId;
    for (const change of entry.changes) {
      const metadata = change.value['metadata'] as Json | undefined;
      if (metadata) metadata['phone_number_id'] = number.phoneNumberId;
      for (const m of (change.value['messages'] as Json[] | undefined) ?? [])
        m['id'] = `${String(m['id'])}.${tag}`;
    }
  }
  return copy;
}

export function sign(raw: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

export function postWebhook(
  app: SwitchboardApp,
  body: Json | string,
  secret: string | null,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return app.http.inject({
    method: 'POST',
    url: '/webhooks/whatsapp',
    payload: raw,
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-hub-signature-256': sign(raw, secret) }),
      ...headers,
    },
  });
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the intake stored, read back: a tenant's message by WhatsApp id, and the receipts kept. */
export function intakeProbes(app: SwitchboardApp, tenantId: string) {
  const messageById = (externalId: string) =>
    app.database.tenant(tenantId, async (tx) => {
      const [row] = await tx
        .select()
        .from(messages)
        .where(and(eq(messages.tenantId, tenantId), eq(messages.externalId, externalId)));
      return row;
    });
  return {
    messageById,
    waitForMessage: (externalId: string) => waitFor(() => messageById(externalId)),
    receiptCount: async () =>
      (await app.database.system((tx) => tx.select({ id: webhookReceipts.id }).from(webhookReceipts))).length,
  };
}

/** The WhatsApp id of a webhook body's first message. */
export function firstMessageId(body: Json): string {
  const entry = (body['entry'] as { changes: { value: { messages?: { id: string }[] } }[] }[])[0]!;
  return entry.changes[0]!.value.messages![0]!.id;
}
