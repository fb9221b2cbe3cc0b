import { z } from 'zod';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import { messageDirections } from '../conversations/conversations.tables.ts';
import { searchTypes, type SearchResult, type SearchService } from './search.service.ts';

const tags = ['search'];

const contactView = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  profileName: z.string().nullable(),
  waId: z.string().nullable(),
  phoneE164: z.string().nullable(),
});

const messageHit = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    direction: z.enum(messageDirections).describe('`note` for a private note'),
    type: z.string(),
    occurredAt: z.iso.datetime(),
    snippet: z.object({
      text: z.string().describe('Up to 160 characters of the text around the first match, `…` where cut'),
      highlights: z
        .array(z.object({ start: z.number().int(), length: z.number().int() }))
        .describe('The matching words in `text`, by UTF-16 offset'),
    }),
    contact: contactView,
  })
  .meta({ id: 'MessageSearchHit' });

const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).nullable();

function present(result: SearchResult) {
  return {
    messages: result.messages && {
      nextCursor: result.messages.nextCursor,
      items: result.messages.items.map((m) => ({ ...m, occurredAt: m.occurredAt.toISOString() })),
    },
    contacts: result.contacts,
  };
}

export function registerSearchRoutes(app: ZodApp, deps: { search: SearchService }): void {
  const { search } = deps;

  app.get(
    '/api/v1/search',
    {
      config: { access: 'tenant', permission: 'conversations.read' },
      schema: {
        tags,
        summary: 'Search messages and contacts of the organization',
        description:
          'Accents and case are ignored (`acao` finds `ação`, `JOSE` finds `José`). **Messages** match ' +
          'when they contain every word of `q`, the last one as a prefix (`joã` finds `João`), in ' +
          'their text, caption, file name, titles or location; best match first, then the most ' +
          'recent. Private notes are included. **Contacts** match when their name, WhatsApp ' +
          'profile name, WhatsApp id or phone number contain every word of `q`, or, for a query ' +
          'that looks like a phone number (`+55 11 9`), its digits; most similar first. `type=all` ' +
          '(the default) answers both lists; each page’s `nextCursor` continues that list alone, ' +
          'with `type=messages` or `type=contacts`.',
        querystring: z.strictObject({
          q: z
            .string()
            .trim()
            .min(1, 'Required: the words to search for')
            .max(200, 'Must be at most 200 characters'),
          type: z.enum(searchTypes, { error: `Must be one of ${searchTypes.join(', ')}` }).default('all'),
          cursor: z.string().max(300).optional(),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
        response: {
          200: z.object({
            messages: page(messageHit).describe('null with type=contacts'),
            contacts: page(contactView).describe('null with type=messages'),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => present(await search.search(tenantPrincipal(request).tenantId, request.query)),
  );
}
