import { z } from 'zod';
import { problemSchema } from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import {
  conversationStatuses,
  messageDirections,
  messageStatuses,
  priorities,
} from './conversations.tables.ts';
import { previewOf, type ConversationsService } from './conversations.service.ts';
import type { ConversationStatus, ConversationViewRow } from './inbox.repo.ts';

const tags = ['conversations'];
const iso = z.iso.datetime();
const json = z.record(z.string(), z.unknown());

const conversationView = z
  .object({
    id: z.uuid(),
    status: z.enum(conversationStatuses),
    snoozedUntil: iso.nullable(),
    priority: z.enum(priorities),
    assigneeId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    lastMessageAt: iso,
    windowExpiresAt: iso.nullable(),
    resolvedAt: iso.nullable(),
    createdAt: iso,
    updatedAt: iso,
    unreadCount: z.number().int(),
    contact: z.object({
      id: z.uuid(),
      name: z.string().nullable(),
      profileName: z.string().nullable(),
      waId: z.string().nullable(),
      phoneE164: z.string().nullable(),
    }),
    number: z
      .object({ id: z.uuid(), purpose: z.string(), displayPhoneNumber: z.string() })
      .nullable()
      .describe('null when the number has been disconnected'),
    lastMessage: z
      .object({
        id: z.uuid(),
        direction: z.enum(messageDirections),
        type: z.string(),
        preview: z.string(),
        occurredAt: iso,
      })
      .nullable(),
  })
  .meta({ id: 'Conversation' });

const messageView = z
  .object({
    id: z.uuid(),
    direction: z.enum(messageDirections),
    type: z.string(),
    content: json,
    externalId: z.string().nullable(),
    status: z.enum(messageStatuses),
    errorCode: z.string().nullable(),
    errorTitle: z.string().nullable(),
    replyToExternalId: z.string().nullable(),
    forwarded: z.boolean(),
    frequentlyForwarded: z.boolean(),
    referral: json.nullable(),
    reactions: z.record(z.string(), z.string()),
    senderUserId: z.uuid().nullable(),
    occurredAt: iso,
    statusAt: iso.nullable(),
    createdAt: iso,
  })
  .meta({ id: 'Message' });

const at = (d: Date | null) => d?.toISOString() ?? null;

function present(v: ConversationViewRow): z.infer<typeof conversationView> {
  const c = v.conversation;
  const m = v.lastMessage;
  return {
    id: c.id,
    status: c.status,
    snoozedUntil: at(c.snoozedUntil),
    priority: c.priority,
    assigneeId: c.assigneeId,
    teamId: c.teamId,
    lastMessageAt: c.lastMessageAt.toISOString(),
    windowExpiresAt: at(c.windowExpiresAt),
    resolvedAt: at(c.resolvedAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    unreadCount: v.unreadCount,
    contact: v.contact,
    number: v.number,
    lastMessage: m && {
      id: m.id,
      direction: m.direction,
      type: m.type,
      preview: previewOf(m.type, m.content),
      occurredAt: m.occurredAt.toISOString(),
    },
  };
}

const ONE_STATUS = `(${conversationStatuses.join('|')})`;
const STATUS_LIST = new RegExp(`^(all|${ONE_STATUS}(,${ONE_STATUS})*)$`);
const limit = (fallback: number) => z.coerce.number().int().min(1).max(100).default(fallback);

export function registerConversationRoutes(app: ZodApp, deps: { conversations: ConversationsService }): void {
  const { conversations } = deps;
  const read = { access: 'tenant' as const, permission: 'conversations.read' as const };
  const manage = { access: 'tenant' as const, permission: 'conversations.manage' as const };

  app.get(
    '/api/v1/conversations',
    {
      config: read,
      schema: {
        tags,
        summary: 'List conversations, most recent activity first, paginated by cursor',
        description:
          '`status` is a comma list (default `open`; `all` for every status). `assignee` is `me` ' +
          '(signed-in users only), `unassigned` or a user id. `unreadCount` counts inbound messages ' +
          'after the last outbound one (there are no per-agent read marks yet).',
        querystring: z.strictObject({
          status: z
            .string()
            .max(100)
            .regex(STATUS_LIST, `A comma list of ${conversationStatuses.join(', ')}, or all`)
            .default('open'),
          assignee: z
            .union([z.enum(['me', 'unassigned']), z.uuid()], { error: 'Must be me, unassigned or a user id' })
            .optional(),
          numberId: z.uuid({ error: 'Must be a UUID' }).optional(),
          contactId: z.uuid({ error: 'Must be a UUID' }).optional(),
          cursor: z.string().max(200).optional(),
          limit: limit(25),
        }),
        response: {
          200: z.object({ items: z.array(conversationView), nextCursor: z.string().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const statuses = q.status === 'all' ? undefined : (q.status.split(',') as ConversationStatus[]);
      const page = await conversations.listConversations(tenantPrincipal(request), {
        statuses,
        assignee: q.assignee,
        numberId: q.numberId,
        contactId: q.contactId,
        cursor: q.cursor,
        limit: q.limit,
      });
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/conversations/counts',
    {
      config: read,
      schema: {
        tags,
        summary: 'Open conversations per inbox tab: mine, unassigned and all',
        description: '`mine` is null for an API key.',
        querystring: z.strictObject({ numberId: z.uuid({ error: 'Must be a UUID' }).optional() }),
        response: {
          200: z.object({
            mine: z.number().int().nullable(),
            unassigned: z.number().int(),
            all: z.number().int(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => conversations.countConversations(tenantPrincipal(request), request.query.numberId),
  );

  app.get(
    '/api/v1/conversations/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a conversation',
        params: idParams,
        response: { 200: conversationView, ...problemResponses },
      },
    },
    async (request) =>
      present(await conversations.getConversation(tenantPrincipal(request).tenantId, request.params.id)),
  );

  app.get(
    '/api/v1/conversations/:id/messages',
    {
      config: read,
      schema: {
        tags,
        summary: 'A conversation’s messages, newest first, paginated by cursor',
        params: idParams,
        querystring: z.strictObject({ cursor: z.string().max(200).optional(), limit: limit(50) }),
        response: {
          200: z.object({ items: z.array(messageView), nextCursor: z.string().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const page = await conversations.listMessages(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.query.cursor,
        request.query.limit,
      );
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((m) => ({
          id: m.id,
          direction: m.direction,
          type: m.type,
          content: m.content,
          externalId: m.externalId,
          status: m.status,
          errorCode: m.errorCode,
          errorTitle: m.errorTitle,
          replyToExternalId: m.replyToExternalId,
          forwarded: m.forwarded,
          frequentlyForwarded: m.frequentlyForwarded,
          referral: m.referral,
          reactions: m.reactions,
          senderUserId: m.senderUserId,
          occurredAt: m.occurredAt.toISOString(),
          statusAt: at(m.statusAt),
          createdAt: m.createdAt.toISOString(),
        })),
      };
    },
  );

  app.patch(
    '/api/v1/conversations/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a conversation’s status, assignee or priority',
        description:
          '`snoozed` needs `snoozedUntil` in the future. Resolving records `resolvedAt`; reopening clears ' +
          'it, and answers 409 `conflict` when the contact already has another active conversation on ' +
          'the number. `assigneeId` must be an active user of the organization, or null to unassign.',
        params: idParams,
        body: z.strictObject({
          status: z.enum(conversationStatuses).optional(),
          snoozedUntil: z.iso.datetime({ offset: true }).optional(),
          assigneeId: z.uuid({ error: 'Must be a UUID' }).nullable().optional(),
          priority: z.enum(priorities).optional(),
        }),
        response: { 200: conversationView, ...problemResponses, 409: problemSchema },
      },
    },
    async (request) => {
      const b = request.body;
      return present(
        await conversations.updateConversation(tenantPrincipal(request).tenantId, request.params.id, {
          status: b.status,
          snoozedUntil: b.snoozedUntil === undefined ? undefined : new Date(b.snoozedUntil),
          assigneeId: b.assigneeId,
          priority: b.priority,
        }),
      );
    },
  );
}
