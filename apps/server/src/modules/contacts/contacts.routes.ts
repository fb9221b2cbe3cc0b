import { z } from 'zod';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { ContactRow } from './contacts.repo.ts';
import type { ContactsService } from './contacts.service.ts';

const tags = ['contacts'];
const attributeValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

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
    attributes: z.record(z.string(), attributeValue),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Contact' });

const present = (c: ContactRow): z.infer<typeof contactView> => ({
  id: c.id,
  name: c.name,
  profileName: c.profileName,
  waId: c.waId,
  phoneE164: c.phoneE164,
  whatsappUserId: c.userId,
  username: c.username,
  attributes: c.attributes,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export function registerContactRoutes(app: ZodApp, deps: { contacts: ContactsService }): void {
  const { contacts } = deps;
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
          '`name` null falls back to the WhatsApp profile name. `attributes` replaces the whole set.',
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().min(1, 'Required').max(200).nullable().optional(),
          attributes: z
            .record(z.string().min(1).max(64, 'Keys are at most 64 characters'), attributeValue)
            .refine((r) => Object.keys(r).length <= 50, 'At most 50 attributes')
            .optional(),
        }),
        response: { 200: contactView, ...problemResponses },
      },
    },
    async (request) => {
      const { name, attributes } = request.body;
      return present(
        await contacts.updateContact(tenantPrincipal(request).tenantId, request.params.id, {
          ...(name === undefined ? {} : { name }),
          ...(attributes === undefined ? {} : { attributes }),
        }),
      );
    },
  );
}
