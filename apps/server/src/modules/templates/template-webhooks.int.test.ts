// The two webhook fields the templates module takes from the intake, posted signed like Meta does
// (the pywa fixtures, retargeted at our numbers): template status updates by WABA id, and a
// client's marketing preference (stop, resume) on the contact.
import { randomInt } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { createTenant, createTestApp, engine, type TestTenant } from '../../../test/harness.ts';
import { customer, inboundText } from '../../../test/inbox-support.ts';
import { receiptsMentioning, receiptsProcessed } from '../../../test/sim-support.ts';
import {
  connectNumber,
  loadFixtures,
  postWebhook,
  type Json,
  type TestNumber,
} from '../../../test/whatsapp-support.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { contacts } from '../contacts/contacts.tables.ts';
import { templatesRepo, type TemplateRow } from './templates.repo.ts';

const templateFixtures = loadFixtures('template_status_update.json');
const preferenceFixtures = loadFixtures('user_marketing_preferences.json');

/** A fixture's body aimed at `number`, with `patch` merged into its first change's value. */
function aimed(fixture: Json, number: TestNumber, patch: Json): Json {
  const copy = JSON.parse(JSON.stringify(fixture)) as { entry: { id: string; changes: { value: Json }[] }[] };
  const entry = copy.entry[0]!;
  entry.id = number.wabaId;
  const value = entry.changes[0]!.value;
  const metadata = value['metadata'] as Json | undefined;
  if (metadata) metadata['phone_number_id'] = number.phoneNumberId;
  Object.assign(value, patch);
  return copy;
}

describe(`template status and marketing preference webhooks (${engine})`, () => {
  let app: SwitchboardApp;
  let org: TestTenant;
  let number: TestNumber;

  beforeAll(async () => {
    app = await createTestApp();
    org = await createTenant(app);
    number = await connectNumber(org);
  });
  afterAll(async () => app.close());

  async function post(body: Json, needle: string): Promise<void> {
    const res = await postWebhook(app, body, number.appSecret);
    expect(res.statusCode, res.body).toBe(200);
    await receiptsProcessed(app, needle);
  }

  async function template(name: string, language: string): Promise<TemplateRow> {
    const now = new Date();
    return app.database.tenant(org.organizationId, async (tx) => {
      const row = await templatesRepo(tx).insertIfAbsent(org.organizationId, {
        id: uuidv7(),
        numberId: number.id,
        wabaId: number.wabaId,
        externalId: String(randomInt(1_000_000_000, 2_000_000_000)),
        name,
        language,
        category: 'MARKETING',
        status: 'PENDING',
        parameterFormat: 'positional',
        components: [{ type: 'BODY', text: 'Hello' }],
        statusReason: null,
        syncedAt: null,
        createdAt: now,
        updatedAt: now,
      });
      return row!;
    });
  }

  const reread = (row: TemplateRow) =>
    app.database.tenant(org.organizationId, async (tx) =>
      (await templatesRepo(tx).listAccount(org.organizationId, number.wabaId)).find((r) => r.id === row.id),
    );

  it('applies APPROVED and REJECTED (with Meta’s reason) by name and language; a redelivery changes nothing', async () => {
    const approved = await template(`order_confirmation_${randomInt(1e6)}`, 'en_US');
    const rejected = await template(`abandoned_cart_${randomInt(1e6)}`, 'en');
    const approve = aimed(templateFixtures['approved']!, number, { message_template_name: approved.name });
    await post(approve, approved.name);
    expect(await reread(approved)).toMatchObject({ status: 'APPROVED', statusReason: null });
    const before = await reread(approved);
    await post(approve, approved.name);
    expect((await reread(approved))?.updatedAt).toEqual(before?.updatedAt);

    await post(
      aimed(templateFixtures['rejected']!, number, { message_template_name: rejected.name }),
      rejected.name,
    );
    const row = await reread(rejected);
    expect(row?.status).toBe('REJECTED');
    expect(row?.statusReason).toMatch(
      /^INVALID_FORMAT: Your template has parameters placed next to each other/,
    );
    expect(row?.statusReason).toMatch(/Separate parameters with descriptive text/);
  });

  it('a template of an account nobody has is acknowledged and dropped', async () => {
    const body = aimed(templateFixtures['approved']!, number, {});
    (body['entry'] as { id: string }[])[0]!.id = '999000999000';
    const res = await postWebhook(app, body, number.appSecret);
    expect(res.statusCode).toBe(200);
    expect(await receiptsMentioning(app.database, '999000999000')).toBe(0);
  });

  it('records a client’s marketing opt-out and clears it when they resume; a stale resume keeps a newer stop', async () => {
    const waId = customer();
    const message = await inboundText(app, org.organizationId, number, waId, 'hello');
    const contact = () =>
      app.database.tenant(org.organizationId, async (tx) => {
        const [row] = await tx
          .select()
          .from(contacts)
          .where(and(eq(contacts.tenantId, org.organizationId), eq(contacts.id, message.contactId)));
        return row!;
      });
    const preference = (value: 'stop' | 'resume', timestamp: number) =>
      aimed(preferenceFixtures['resume']!, number, {
        user_preferences: [{ wa_id: waId, detail: 'x', category: 'marketing_messages', value, timestamp }],
      });

    await post(preference('stop', 1_731_705_721), waId);
    expect(await contact()).toMatchObject({
      marketingOptOutAt: new Date(1_731_705_721_000),
      marketingOptOutSource: 'user_preferences',
    });
    // Redelivered: the first stop stands.
    await post(preference('stop', 1_731_705_800), waId);
    expect((await contact()).marketingOptOutAt).toEqual(new Date(1_731_705_721_000));
    // A resume older than the stop (delivered late) does not clear it.
    await post(preference('resume', 1_731_705_000), waId);
    expect((await contact()).marketingOptOutAt).not.toBeNull();
    await post(preference('resume', 1_731_706_000), waId);
    expect(await contact()).toMatchObject({ marketingOptOutAt: null, marketingOptOutSource: null });

    // The pywa `signup` fixture is an opt-in too.
    await post(preference('stop', 1_731_707_000), waId);
    const signup = aimed(preferenceFixtures['signup']!, number, {});
    const items = (signup['entry'] as { changes: { value: { user_preferences: Json[] } }[] }[])[0]!
      .changes[0]!.value.user_preferences;
    items[0]!['wa_id'] = waId;
    items[0]!['timestamp'] = 1_731_708_000;
    await post(signup, waId);
    expect((await contact()).marketingOptOutAt).toBeNull();
  });

  it('a preference for a contact we do not know changes nothing and is not retried', async () => {
    const stranger = customer();
    await post(
      aimed(preferenceFixtures['resume']!, number, {
        user_preferences: [{ wa_id: stranger, category: 'marketing_messages', value: 'stop', timestamp: 1 }],
      }),
      stranger,
    );
    const found = await app.database.tenant(org.organizationId, (tx) =>
      tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.tenantId, org.organizationId), eq(contacts.waId, stranger))),
    );
    expect(found).toEqual([]);
  });
});
