import { requestApi } from '../../../lib/api/client';
import { signalOption, withQuery } from '../../../lib/api/query';

/** The API's Notification view (GET /api/v1/notifications); not in @switchboard/contracts yet. */
export interface AppNotification {
  id: string;
  kind: string;
  conversationId: string | null;
  messageId: string | null;
  actorUserId: string | null;
  preview: string | null;
  /** The conversation's contact and number (additive fields of the API's view). */
  contactName?: string | null;
  numberPurpose?: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: AppNotification[];
  nextCursor: string | null;
  unreadCount: number;
}

export function listNotifications(signal?: AbortSignal): Promise<NotificationPage> {
  return requestApi('GET', withQuery('/notifications', { limit: 20 }), signalOption(signal));
}

export function markNotificationRead(id: string): Promise<AppNotification> {
  return requestApi('POST', `/notifications/${encodeURIComponent(id)}/read`);
}

export function markAllNotificationsRead(): Promise<{ marked: number }> {
  return requestApi('POST', '/notifications/read-all');
}
