import type { UserView } from '@switchboard/contracts';
import { formatTime } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { userName } from '../../directory/hooks/useDirectory';
import type { Message } from '../api/types';
import { localizedPreviewOf } from '../messageModel';
import { MessageActions } from './MessageActions';
import { MessageContent } from './MessageContent';
import { StatusTicks } from './StatusTicks';

export const messageElementId = (id: string) => `message-${id}`;

function jumpTo(id: string) {
  const el = document.getElementById(messageElementId(id));
  if (el === null) return;
  el.scrollIntoView({ block: 'center', behavior: 'smooth' });
  el.focus({ preventScroll: true });
}

export interface MessageBubbleProps {
  conversationId: string;
  onReply: (message: Message) => void;
  message: Message;
  /** The message this one replies to, when it is loaded. */
  quoted: Message | undefined;
  users: readonly UserView[];
  /** Brings a message into view (a virtualized thread renders only some of them). */
  onJump?: (messageId: string) => void;
}

export function MessageBubble({
  conversationId,
  onReply,
  message: m,
  quoted,
  users,
  onJump = jumpTo,
}: MessageBubbleProps) {
  const { t, locale } = useI18n();
  const sender = users.find((u) => u.id === m.senderUserId);
  const mentions = Array.isArray(m.content['mentions']) ? (m.content['mentions'] as unknown[]) : [];
  const mentioned = users.filter((u) => mentions.includes(u.id));
  const referral = m.referral ?? null;
  const reactions = Object.values(m.reactions);

  return (
    <article
      id={messageElementId(m.id)}
      className={`message message-${m.direction} ${m.status === 'failed' ? 'is-failed' : ''}`}
      tabIndex={-1}
      data-testid={`message-${m.direction}`}
    >
      {m.direction === 'note' ? (
        <p className="message-kicker">
          {t('thread.noteBy', { name: sender === undefined ? t('notifications.someone') : userName(sender) })}
        </p>
      ) : m.direction === 'outbound' && sender !== undefined ? (
        <p className="message-kicker">{userName(sender)}</p>
      ) : null}
      {m.forwarded || referral !== null || m.content['edited'] === true ? (
        <p className="message-badges">
          {m.forwarded ? (
            <span className="chip">
              {m.frequentlyForwarded === true ? t('message.forwardedMany') : t('message.forwarded')}
            </span>
          ) : null}
          {referral !== null ? (
            <span
              className="chip"
              title={typeof referral['source_url'] === 'string' ? referral['source_url'] : undefined}
            >
              {t('message.fromAd')}
              {typeof referral['headline'] === 'string' ? `: ${referral['headline']}` : ''}
            </span>
          ) : null}
          {m.content['edited'] === true ? <span className="chip">{t('message.edited')}</span> : null}
        </p>
      ) : null}
      {m.replyToExternalId === null ? null : (
        <button
          type="button"
          className="message-quote"
          disabled={quoted === undefined}
          onClick={() => quoted !== undefined && onJump(quoted.id)}
          aria-label={
            quoted === undefined
              ? t('message.replyToUnknown')
              : t('message.replyTo', { text: localizedPreviewOf(quoted.type, quoted.content, t) })
          }
        >
          {quoted === undefined
            ? t('message.replyToUnknown')
            : localizedPreviewOf(quoted.type, quoted.content, t)}
        </button>
      )}
      <MessageContent message={m} />
      {m.direction === 'note' && mentioned.length > 0 ? (
        <p className="muted message-mentions">
          {t('thread.mentioned', { names: mentioned.map(userName).join(', ') })}
        </p>
      ) : null}
      {m.status === 'failed' && m.errorTitle !== null ? (
        <p className="message-error">{m.errorTitle}</p>
      ) : null}
      <footer className="message-footer">
        <time dateTime={m.occurredAt}>{formatTime(m.occurredAt, locale)}</time>
        {m.direction === 'outbound' ? <StatusTicks message={m} /> : null}
      </footer>
      <MessageActions conversationId={conversationId} message={m} onReply={onReply} />
      {reactions.length === 0 ? null : (
        <p className="message-reactions" aria-label={t('message.reactions')}>
          {reactions.map((emoji, i) => (
            <span key={i}>{emoji}</span>
          ))}
        </p>
      )}
    </article>
  );
}
