// The line the bell shows for a notification, in the user's language. Pure, so it is unit-tested.
import type { Translate } from '../../lib/i18n/types';
import type { AppNotification } from './api/notificationsApi';

/** `who` is the user who caused it (mentions, assignments), already named or "Someone". */
export function notificationText(
  notification: Pick<AppNotification, 'kind' | 'contactName' | 'numberPurpose'>,
  who: string,
  t: Translate,
): string {
  switch (notification.kind) {
    case 'mention':
      return t('notifications.mention', { who });
    case 'assignment':
      return t('notifications.assignment', { who });
    case 'new_conversation': {
      const name = notification.contactName ?? t('contact.unknown');
      const number = notification.numberPurpose ?? null;
      return number === null
        ? t('notifications.newConversationNoNumber', { name })
        : t('notifications.newConversation', { name, number });
    }
    default:
      return t('notifications.other');
  }
}
