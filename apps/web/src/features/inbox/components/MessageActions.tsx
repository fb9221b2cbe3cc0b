import { Disclosure } from '../../../components/Disclosure';
import { FormAlert } from '../../../components/FormAlert';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useCan } from '../../directory/hooks/useDirectory';
import type { Message } from '../api/types';
import { useResend, useSendMessage } from '../hooks/useInbox';

/** The reactions offered in the picker (WhatsApp's own quick set). */
export const quickReactions = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

/** Reply to, react to, or send again a message; only for messages WhatsApp knows (with an id). */
export function MessageActions({
  conversationId,
  message,
  onReply,
}: {
  conversationId: string;
  message: Message;
  onReply: (message: Message) => void;
}) {
  const { t, locale } = useI18n();
  const canManage = useCan('conversations.manage');
  const send = useSendMessage(conversationId);
  const resend = useResend(conversationId);
  if (!canManage || message.direction === 'note') return null;
  const retryable =
    message.direction === 'outbound' && (message.status === 'failed' || message.status === 'unknown');
  const known = message.externalId !== null;
  const error = send.error ?? resend.error;

  return (
    <div className="message-actions">
      {known ? (
        <button type="button" className="button-link" onClick={() => onReply(message)}>
          {t('message.replyAction')}
        </button>
      ) : null}
      {known ? (
        <Disclosure
          button={t('message.reactAction')}
          buttonClassName="button-link"
          panelClassName="popover reaction-picker"
        >
          {(close) => (
            <div role="group" aria-label={t('message.reactAction')}>
              {quickReactions.map((emoji) => (
                <button
                  key={emoji}
                  type="button"
                  className="button-ghost reaction-choice"
                  aria-label={t('message.reactWith', { emoji })}
                  onClick={() => {
                    send.mutate({ type: 'reaction', reaction: { messageId: message.id, emoji } });
                    close();
                  }}
                >
                  {emoji}
                </button>
              ))}
              <button
                type="button"
                className="button-link"
                onClick={() => {
                  send.mutate({ type: 'reaction', reaction: { messageId: message.id, emoji: '' } });
                  close();
                }}
              >
                {t('message.removeReaction')}
              </button>
            </div>
          )}
        </Disclosure>
      ) : null}
      {retryable ? (
        <button
          type="button"
          className="button-link"
          disabled={resend.isPending}
          onClick={() => resend.mutate(message.id)}
        >
          {t('message.sendAgain')}
        </button>
      ) : null}
      {error === null ? null : <FormAlert>{describeError(error, t, locale)}</FormAlert>}
    </div>
  );
}
