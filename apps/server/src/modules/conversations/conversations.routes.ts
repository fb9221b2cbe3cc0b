import { z } from 'zod';
import { problemSchema } from '@switchboard/contracts';
import { tenantPrincipal, userPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import {
  conversationStatuses,
  messageDirections,
  messageStatuses,
  priorities,
} from './conversations.tables.ts';
import type { MessageRow } from './conversations.repo.ts';
import { previewOf, type ConversationsService } from './conversations.service.ts';
import type {
  ConversationPriority,
  ConversationStatus,
  ConversationViewRow,
  CountFilter,
} from './inbox.repo.ts';

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
    unreadCount: z
      .number()
      .int()
      .describe(
        'For a signed-in user: inbound messages stored after their read mark (POST …/read), all of ' +
          'them before the first mark. For an API key (no marks): inbound messages after the last outbound one.',
      ),
    labels: z.array(z.object({ id: z.uuid(), name: z.string(), color: z.string() })).describe('By name'),
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
        preview: z
          .string()
          .describe(
            'The start of the text; `[type]` (e.g. `[image]`) when the message has none, which clients show as a label for `type` in the user’s language',
          ),
        occurredAt: iso,
      })
      .nullable(),
  })
  .meta({ id: 'Conversation' });

export const messageView = z
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

export function presentMessage(m: Omit<MessageRow, 'raw'>): z.infer<typeof messageView> {
  return {
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
  };
}

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
    labels: v.labels,
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
const ONE_PRIORITY = `(${priorities.join('|')})`;
const PRIORITY_LIST = new RegExp(`^${ONE_PRIORITY}(,${ONE_PRIORITY})*$`);
const uuid = () => z.uuid({ error: 'Must be a UUID' });

/** Filters the list and the counts share. */
const filterFields = {
  status: z
    .string()
    .max(100)
    .regex(STATUS_LIST, `A comma list of ${conversationStatuses.join(', ')}, or all`)
    .default('open'),
  priority: z
    .string()
    .max(100)
    .regex(PRIORITY_LIST, `A comma list of ${priorities.join(', ')}`)
    .optional(),
  numberId: uuid().optional(),
  teamId: uuid().optional(),
  labelId: uuid().optional(),
};
const FILTERS_DESCRIPTION =
  '`status` is a comma list (default `open`; `all` for every status); `priority` a comma list. ' +
  '`teamId`, `numberId` and `labelId` (conversations carrying that label) narrow further.';

function countFilter(q: z.infer<z.ZodObject<typeof filterFields>>): CountFilter {
  return {
    statuses: q.status === 'all' ? undefined : (q.status.split(',') as ConversationStatus[]),
    priorities: q.priority?.split(',') as ConversationPriority[] | undefined,
    numberId: q.numberId,
    teamId: q.teamId,
    labelId: q.labelId,
  };
}
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
          `${FILTERS_DESCRIPTION} \`assignee\` is \`me\` (signed-in users only), \`unassigned\` or a ` +
          'user id. `unread=true` keeps conversations with messages the caller has not read (see ' +
          '`unreadCount`), `unread=false` those without.',
        querystring: z.strictObject({
          ...filterFields,
          assignee: z
            .union([z.enum(['me', 'unassigned']), z.uuid()], { error: 'Must be me, unassigned or a user id' })
            .optional(),
          contactId: uuid().optional(),
          unread: z
            .enum(['true', 'false'], { error: 'Must be true or false' })
            .transform((v) => v === 'true')
            .optional(),
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
      const page = await conversations.listConversations(tenantPrincipal(request), {
        ...countFilter(q),
        assignee: q.assignee,
        contactId: q.contactId,
        unread: q.unread,
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
        summary: 'Conversations per inbox tab (mine, unassigned, all) and with unread messages',
        description:
          `Counts what the list would show for the same filters. ${FILTERS_DESCRIPTION} \`mine\` is ` +
          'null for an API key. `unread` counts conversations with messages the caller has not read.',
        querystring: z.strictObject(filterFields),
        response: {
          200: z.object({
            mine: z.number().int().nullable(),
            unassigned: z.number().int(),
            all: z.number().int(),
            unread: z.number().int(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => conversations.countConversations(tenantPrincipal(request), countFilter(request.query)),
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
      present(await conversations.getConversation(tenantPrincipal(request), request.params.id)),
  );

  app.post(
    '/api/v1/conversations/:id/read',
    {
      config: { access: 'user', permission: 'conversations.read' },
      schema: {
        tags,
        summary: 'Mark a conversation read up to now for the signed-in user',
        description:
          'Sets the caller’s read mark, which only moves forward; other users’ unread counts are ' +
          'their own. Opening a conversation does not mark it: clients call this when the user has ' +
          'seen the messages. Signed-in users only (API keys have no read marks).',
        params: idParams,
        response: { 204: z.null().describe('Marked'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const user = userPrincipal(request);
      await conversations.markConversationRead(user.tenantId, user.userId, request.params.id);
      return reply.status(204).send(null);
    },
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
        items: page.items.map(presentMessage),
      };
    },
  );

  app.patch(
    '/api/v1/conversations/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a conversation’s status, assignee, team or priority',
        description:
          '`snoozed` needs `snoozedUntil` in the future. Resolving records `resolvedAt`; reopening clears ' +
          'it, and answers 409 `conflict` when the contact already has another active conversation on ' +
          'the number. `assigneeId` must be an active user of the organization, or null to unassign; a new ' +
          'assignee other than the caller gets an `assignment` notification. `teamId` must be a team of ' +
          'the organization, or null for none.',
        params: idParams,
        body: z.strictObject({
          status: z.enum(conversationStatuses).optional(),
          snoozedUntil: z.iso.datetime({ offset: true }).optional(),
          assigneeId: z.uuid({ error: 'Must be a UUID' }).nullable().optional(),
          teamId: z.uuid({ error: 'Must be a UUID' }).nullable().optional(),
          priority: z.enum(priorities).optional(),
        }),
        response: { 200: conversationView, ...problemResponses, 409: problemSchema },
      },
    },
    async (request) => {
      const b = request.body;
      const principal = tenantPrincipal(request);
      return present(
        await conversations.updateConversation(
          principal.tenantId,
          request.params.id,
          {
            status: b.status,
            snoozedUntil: b.snoozedUntil === undefined ? undefined : new Date(b.snoozedUntil),
            assigneeId: b.assigneeId,
            teamId: b.teamId,
            priority: b.priority,
          },
          principal.kind === 'user' ? principal.userId : null,
        ),
      );
    },
  );
}
