import { z } from 'zod';
import { userPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import { notificationKinds } from './notifications.tables.ts';
import type { NotificationListRow } from './notifications.repo.ts';
import { notificationView, type NotificationsService } from './notifications.service.ts';

const tags = ['notifications'];
const iso = z.iso.datetime();

const notificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(notificationKinds),
    conversationId: z.uuid().nullable(),
    messageId: z.uuid().nullable(),
    actorUserId: z.uuid().nullable().describe('Who caused it; null for the system'),
    preview: z.string().nullable().describe('The start of the note that mentioned you, if any'),
    contactName: z
      .string()
      .nullable()
      .describe(
        'The contact of the conversation (name, profile name or phone); in `notification.created` events, set for `new_conversation` only',
      ),
    numberPurpose: z
      .string()
      .nullable()
      .describe('The purpose of the conversation’s WhatsApp number; in events, for `new_conversation` only'),
    createdAt: iso,
    readAt: iso.nullable(),
  })
  .meta({ id: 'Notification' });

const present = (n: NotificationListRow) =>
  notificationView(n, n.preview, { contactName: n.contactName, numberPurpose: n.numberPurpose });

export function registerNotificationRoutes(app: ZodApp, deps: { notifications: NotificationsService }): void {
  const { notifications } = deps;
  // A signed-in user's own notifications: an API key has none. They point into conversations, so
  // reading them takes the permission to read conversations.
  const config = { access: 'user' as const, permission: 'conversations.read' as const };

  app.get(
    '/api/v1/notifications',
    {
      config,
      schema: {
        tags,
        summary: 'Your notifications, newest first, paginated by cursor',
        description:
          'Only the signed-in user’s own. `unread=true` lists unread ones only. `unreadCount` counts ' +
          'all your unread notifications, whatever the page. New ones also arrive on the realtime ' +
          'socket as `notification.created` (to you only).',
        querystring: z.strictObject({
          unread: z
            .enum(['true', 'false'], { error: 'Must be true or false' })
            .default('false')
            .transform((v) => v === 'true'),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: {
          200: z.object({
            items: z.array(notificationSchema),
            nextCursor: z.string().nullable(),
            unreadCount: z.number().int(),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await notifications.listNotifications(userPrincipal(request), {
        unreadOnly: q.unread,
        cursor: q.cursor,
        limit: q.limit,
      });
      return { items: page.items.map(present), nextCursor: page.nextCursor, unreadCount: page.unreadCount };
    },
  );

  app.post(
    '/api/v1/notifications/:id/read',
    {
      config,
      schema: {
        tags,
        summary: 'Mark one of your notifications read',
        description: 'Idempotent: the first read time is kept. Another user’s notification is 404.',
        params: idParams,
        response: { 200: notificationSchema, ...problemResponses },
      },
    },
    async (request) => present(await notifications.markRead(userPrincipal(request), request.params.id)),
  );

  app.post(
    '/api/v1/notifications/read-all',
    {
      config,
      schema: {
        tags,
        summary: 'Mark all your notifications read',
        response: { 200: z.object({ marked: z.number().int() }), ...problemResponses },
      },
    },
    async (request) => ({ marked: await notifications.markAllRead(userPrincipal(request)) }),
  );
}
