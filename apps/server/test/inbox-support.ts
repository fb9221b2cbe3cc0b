// Helpers for inbox tests: a client writes through the real, signed webhook endpoint, and the test
// waits until the message is stored.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { SwitchboardApp } from '../src/app.ts';
import { messages } from '../src/modules/conversations/conversations.tables.ts';
import { uuidv7 } from '../src/platform/security/tokens.ts';
import { postWebhook, waitFor, type TestNumber } from './whatsapp-support.ts';

export type StoredMessage = typeof messages.$inferSelect;

/** A random Brazilian mobile WhatsApp id. */
export const customer = () => `55119${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;
export const wamid = () => `wamid.${randomBytes(8).toString('hex')}`;

export async function findMessage(
  app: SwitchboardApp,
  tenantId: string,
  externalId: string,
): Promise<StoredMessage | undefined> {
  return app.database.tenant(tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.externalId, externalId)));
    return row;
  });
}

/**
 * Posts a signed text message from `from` to the number and waits until it is stored. `from` is a
 * WhatsApp id, or `{ userId }` for a client whose WhatsApp id Meta withholds (business-scoped id).
 */
export async function inboundText(
  app: SwitchboardApp,
  tenantId: string,
  number: TestNumber,
  from: string | { userId: string },
  body: string,
  options: { at?: Date; name?: string } = {},
): Promise<StoredMessage> {
  const sender = typeof from === 'string' ? { wa_id: from } : { user_id: from.userId };
  const id = wamid();
  const at = options.at ?? new Date();
  const res = await postWebhook(
    app,
    {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: number.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550100', phone_number_id: number.phoneNumberId },
                contacts: [{ ...sender, profile: { name: options.name ?? 'Cliente' } }],
                messages: [
                  {
                    ...(typeof from === 'string' ? { from } : {}),
                    id,
                    timestamp: String(Math.floor(at.getTime() / 1000)),
                    type: 'text',
                    text: { body },
                  },
                ],
              },
            },
          ],
        },
      ],
    },
    number.appSecret,
  );
  if (res.statusCode !== 200) throw new Error(`webhook: ${res.statusCode} ${res.body}`);
  return waitFor(() => findMessage(app, tenantId, id));
}

/** An outbound reply stored as the sender (issue 5) will store it. */
export async function storeOutbound(
  app: SwitchboardApp,
  tenantId: string,
  after: StoredMessage,
  at: Date,
): Promise<void> {
  await app.database.tenant(tenantId, (tx) =>
    tx.insert(messages).values({
      id: uuidv7(),
      tenantId,
      conversationId: after.conversationId,
      contactId: after.contactId,
      numberId: after.numberId,
      direction: 'outbound',
      type: 'text',
      content: { body: 'answer' },
      externalId: wamid(),
      status: 'sent',
      occurredAt: at,
      createdAt: new Date(),
    }),
  );
}
