import { z } from 'zod';

// The envelope of a Cloud API webhook, parsed leniently: we read what we use and keep the rest
// untouched in the receipt and in each message's raw copy.
const changeSchema = z.looseObject({
  field: z.string(),
  value: z.looseObject({}).default({}),
});
export const webhookEnvelopeSchema = z.looseObject({
  object: z.string(),
  entry: z.array(z.looseObject({ id: z.string().default(''), changes: z.array(changeSchema).default([]) })),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

export const contactSchema = z.looseObject({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
});

export const statusSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  timestamp: z.string().optional(),
  errors: z
    .array(
      z.looseObject({ code: z.union([z.number(), z.string()]).optional(), title: z.string().optional() }),
    )
    .optional(),
});

/** Every phone number id and WABA id a webhook names (to find its numbers and app secrets). */
export function namedAccounts(envelope: WebhookEnvelope): { phoneNumberIds: string[]; wabaIds: string[] } {
  const phoneNumberIds = new Set<string>();
  const wabaIds = new Set<string>();
  for (const entry of envelope.entry) {
    if (entry.id) wabaIds.add(entry.id);
    for (const change of entry.changes) {
      const metadata = change.value['metadata'] as { phone_number_id?: unknown } | undefined;
      if (typeof metadata?.phone_number_id === 'string') phoneNumberIds.add(metadata.phone_number_id);
    }
  }
  return { phoneNumberIds: [...phoneNumberIds], wabaIds: [...wabaIds] };
}
