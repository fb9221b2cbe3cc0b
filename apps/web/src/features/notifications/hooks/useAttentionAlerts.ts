import { use, useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../lib/i18n/useI18n';
import { RealtimeEventsContext } from '../../../lib/realtime/RealtimeProvider';
import { useSession } from '../../auth/hooks/useMe';
import { userName, useUsers } from '../../directory/hooks/useDirectory';
import { createAttentionTracker, isAway, type Attention } from '../attention';
import { playChime } from '../sound';
import { desktopPermission, useAlertPreferences } from './useAlertPreferences';

/**
 * Alerts the user to what the realtime stream brings: a desktop notification for mentions,
 * assignments and new conversations while they look elsewhere (when allowed and wanted), and a
 * chime for customers' messages in their conversations (when the sound is on).
 */
export function useAttentionAlerts() {
  const subscribe = use(RealtimeEventsContext);
  const { user } = useSession();
  const { t, locale } = useI18n();
  const users = useUsers();
  const navigate = useNavigate();
  const [preferences] = useAlertPreferences();
  // The subscription lives as long as the user; it reads the latest of everything else.
  const latest = useRef({ t, locale, users: users.data, navigate, preferences });
  useEffect(() => {
    latest.current = { t, locale, users: users.data, navigate, preferences };
  });

  useEffect(() => {
    const tracker = createAttentionTracker(user.id);

    function describe(a: Exclude<Attention, { kind: 'message' }>): string {
      const { t: tr, users: people } = latest.current;
      const actor = people?.find((u) => u.id === a.actorUserId);
      const who = actor === undefined ? tr('notifications.someone') : userName(actor);
      if (a.kind === 'mention') return tr('notifications.mention', { who });
      if (a.kind === 'assignment')
        return actor === undefined ? tr('alerts.assignedToYou') : tr('notifications.assignment', { who });
      return tr('alerts.newConversation');
    }

    function notify(a: Exclude<Attention, { kind: 'message' }>) {
      const { preferences: prefs, locale: lang, navigate: go } = latest.current;
      if (!prefs.desktop || desktopPermission() !== 'granted') return;
      if (!isAway(document.visibilityState, document.hasFocus())) return;
      const notification = new Notification(describe(a), {
        body: a.preview ?? '',
        lang,
        icon: '/favicon.svg',
        ...(a.conversationId === null ? {} : { tag: `conversation-${a.conversationId}` }),
      });
      notification.onclick = () => {
        window.focus();
        notification.close();
        if (a.conversationId !== null) void go(`/inbox/${a.conversationId}?tab=all&status=all`);
      };
    }

    return subscribe((event) => {
      for (const attention of tracker.read(event, new Date())) {
        if (attention.kind === 'message') {
          if (latest.current.preferences.sound) playChime();
        } else {
          notify(attention);
        }
      }
    });
  }, [subscribe, user.id]);
}
