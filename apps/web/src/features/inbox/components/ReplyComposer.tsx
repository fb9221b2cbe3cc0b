import { useState, type SyntheticEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useSession } from '../../auth/hooks/useMe';
import { useCannedFill } from '../hooks/useCannedFill';
import type { Message } from '../api/types';
import { useSendText } from '../hooks/useInbox';
import { previewOf } from '../messageModel';
import { ComposerTextarea } from './ComposerTextarea';

/** WhatsApp text bodies hold up to 4,096 characters. */
const TEXT_MAX_LENGTH = 4096;

/** Free text to the customer, shown at once as queued; restored to the box if the API refuses it. */
export function ReplyComposer({
  conversationId,
  replyTo,
  onClearReply,
}: {
  conversationId: string;
  replyTo: Message | undefined;
  onClearReply: () => void;
}) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const [text, setText] = useState('');
  const send = useSendText(conversationId, user.id);
  const canned = useCannedFill(conversationId, setText);
  const tooLong = text.length > TEXT_MAX_LENGTH;

  function submit(event?: SyntheticEvent) {
    event?.preventDefault();
    const body = text.trim();
    if (body === '' || tooLong) return;
    setText('');
    onClearReply();
    send.mutate(
      { body, ...(replyTo === undefined ? {} : { replyTo }) },
      { onError: () => setText((current) => (current === '' ? body : current)) },
    );
  }

  const error = send.error ?? canned.error;
  return (
    <form className="composer-form" onSubmit={submit}>
      {replyTo === undefined ? null : (
        <div className="reply-bar" data-testid="reply-bar">
          <span className="message-quote">
            {t('message.replyTo', { text: previewOf(replyTo.type, replyTo.content) })}
          </span>
          <button type="button" className="button-link" onClick={onClearReply}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      <ComposerTextarea
        label={t('composer.replyLabel')}
        placeholder={t('composer.replyPlaceholder')}
        value={text}
        onChange={setText}
        onSubmit={submit}
        allowMentions={false}
        onCanned={(id) => canned.mutate(id)}
        testId="reply-input"
      />
      <div className="composer-footer">
        <span className="muted">
          {tooLong ? t('validation.tooLong', { max: TEXT_MAX_LENGTH }) : t('composer.replyHint')}
        </span>
        <button
          type="submit"
          className="button-primary button-inline"
          disabled={text.trim() === '' || tooLong}
        >
          {t('composer.send')}
        </button>
      </div>
      {error === null ? null : <FormAlert>{describeError(error, t, locale)}</FormAlert>}
    </form>
  );
}
