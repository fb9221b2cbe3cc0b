import { z } from 'zod';
import {
  attributeValueSchema,
  labelSummarySchema,
  MAX_ATTRIBUTES,
  mergeContactsRequestSchema,
  problemSchema,
} from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses, requestActor } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { ContactMergeService } from './contact-merge.service.ts';
import type { ContactsService, ContactWithLabels } from './contacts.service.ts';

const tags = ['contacts'];

const contactView = z
  .object({
    id: z.uuid(),
    name: z.string().nullable(),
    profileName: z.string().nullable(),
    waId: z.string().nullable(),
    phoneE164: z.string().nullable(),
    /** The business-scoped user id WhatsApp sends when it withholds the phone number. */
    whatsappUserId: z.string().nullable(),
    username: z.string().nullable(),
    attributes: z.record(z.string(), attributeValueSchema),
    labels: z.array(labelSummarySchema),
    /** Since when the client refuses marketing templates (null: they accept them). */
    marketingOptOutAt: z.iso.datetime().nullable(),
    /** `user_preferences` (the client, in WhatsApp), `131050` (a refused send) or `agent`. */
    marketingOptOutSource: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Contact' });

const present = ({ contact: c, labels }: ContactWithLabels): z.infer<typeof contactView> => ({
  id: c.id,
  name: c.name,
  profileName: c.profileName,
  waId: c.waId,
  phoneE164: c.phoneE164,
  whatsappUserId: c.userId,
  username: c.username,
  attributes: c.attributes,
  labels,
  marketingOptOutAt: c.marketingOptOutAt?.toISOString() ?? null,
  marketingOptOutSource: c.marketingOptOutSource,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export function registerContactRoutes(
  app: ZodApp,
  deps: { contacts: ContactsService; contactMerge: ContactMergeService },
): void {
  const { contacts, contactMerge } = deps;
  // Contacts are part of the inbox: the conversation permissions govern them too (no separate
  // contacts.read / contacts.manage until a role needs one without the other).
  const read = { access: 'tenant' as const, permission: 'conversations.read' as const };
  const manage = { access: 'tenant' as const, permission: 'conversations.manage' as const };

  app.get(
    '/api/v1/contacts',
    {
      config: read,
      schema: {
        tags,
        summary: 'List contacts, newest first, optionally matching `q`, paginated by cursor',
        description:
          '`q` matches part of the name, the WhatsApp profile name, or the digits of the WhatsApp ' +
          'id or phone number, ignoring case.',
        querystring: z.strictObject({
          q: z.string().trim().max(100).optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: {
          200: z.object({ items: z.array(contactView), nextCursor: z.string().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const page = await contacts.listContacts(tenantPrincipal(request).tenantId, request.query);
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/contacts/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a contact',
        params: idParams,
        response: { 200: contactView, ...problemResponses },
      },
    },
    async (request) =>
      present(await contacts.getContact(tenantPrincipal(request).tenantId, request.params.id)),
  );

  app.patch(
    '/api/v1/contacts/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a contact’s name or custom attributes',
        description:
          '`name` null falls back to the WhatsApp profile name. `attributes` is a partial change: ' +
          'each key given is set, `null` removes it, and keys not given are kept. Each key must be ' +
          'defined (`/api/v1/contact-attributes`) and its value fit the type: otherwise 422 ' +
          '`unprocessable_content`, listing every problem at `body.attributes.<key>`. `marketingOptOut` ' +
          'records (true) or clears (false) the client’s opt-out of marketing messages, as an agent’s action: ' +
          'marketing templates to an opted-out client are refused with 409 `contact_opted_out`.',
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().min(1, 'Required').max(200).nullable().optional(),
          attributes: z
            .record(z.string().min(1).max(64, 'Keys are at most 64 characters'), attributeValueSchema)
            .refine((r) => Object.keys(r).length <= MAX_ATTRIBUTES, `At most ${MAX_ATTRIBUTES} attributes`)
            .optional(),
          marketingOptOut: z.boolean().optional(),
        }),
        response: { 200: contactView, ...problemResponses, 422: problemSchema },
      },
    },
    async (request) => {
      const { name, attributes, marketingOptOut } = request.body;
      return present(
        await contacts.updateContact(tenantPrincipal(request).tenantId, request.params.id, {
          ...(name === undefined ? {} : { name }),
          ...(attributes === undefined ? {} : { attributes }),
          ...(marketingOptOut === undefined ? {} : { marketingOptOut }),
        }),
      );
    },
  );

  app.post(
    '/api/v1/contacts/:id/merge',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Merge a duplicate contact into this one',
        description:
          'Moves the source’s conversations, messages, labels (once each) and notes to this contact, ' +
          'fills the identity fields this one lacks (WhatsApp id, user id, names), merges attributes ' +
          '(this contact’s values win) and deletes the source, in one transaction. Where both have an ' +
          'active conversation on the same number, the source’s messages join this contact’s and the ' +
          'emptied conversation is deleted. Later messages from the source’s WhatsApp id land here. ' +
          'Two contacts with different WhatsApp ids (or user ids) cannot be merged: 409 `conflict`. ' +
          'Merging a contact into itself is 422.',
        params: idParams,
        body: mergeContactsRequestSchema,
        response: { 200: contactView, ...problemResponses, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request) =>
      present(
        await contactMerge.mergeContacts(
          tenantPrincipal(request).tenantId,
          request.params.id,
          request.body.sourceContactId,
          requestActor(request),
        ),
      ),
  );
}
