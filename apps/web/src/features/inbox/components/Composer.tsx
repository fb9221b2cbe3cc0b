import { useRef, useState } from 'react';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useNow } from '../../../lib/useNow';
import { useCan } from '../../directory/hooks/useDirectory';
import type { Conversation, Message } from '../api/types';
import { windowState } from '../composerText';
import { useInboxCommand } from '../inboxCommands';
import { NoteComposer } from './NoteComposer';
import { ReplyComposer } from './ReplyComposer';
import { TemplateComposer } from './TemplateComposer';

type Mode = 'reply' | 'note';

/** Reply to the customer (free text inside the 24-hour window) or write a private note. */
export function Composer({
  conversation,
  replyTo,
  onClearReply,
}: {
  conversation: Conversation;
  replyTo: Message | undefined;
  onClearReply: () => void;
}) {
  const { t } = useI18n();
  const now = useNow(15_000);
  const canManage = useCan('conversations.manage');
  const [mode, setMode] = useState<Mode>('reply');
  // Choosing "Reply" on a message brings the reply box back.
  const [replyFor, setReplyFor] = useState<Message>();
  if (replyTo !== replyFor) {
    setReplyFor(replyTo);
    if (replyTo !== undefined) setMode('reply');
  }
  const root = useRef<HTMLDivElement>(null);

  // `r` and `n`: the reply box or the note box, with focus in it (once the mode has rendered).
  useInboxCommand((command) => {
    if (command !== 'reply' && command !== 'note') return;
    setMode(command);
    const focus = (attempt: number) => {
      const box = root.current?.querySelector<HTMLTextAreaElement>(
        `[data-testid="${command === 'reply' ? 'reply-input' : 'note-input'}"]`,
      );
      if (box) box.focus();
      else if (attempt < 5) requestAnimationFrame(() => focus(attempt + 1));
    };
    requestAnimationFrame(() => focus(0));
  });

  if (!canManage) return null;
  const win = windowState(conversation.windowExpiresAt, now);

  return (
    <div className={`composer composer-${mode}`} ref={root}>
      <div className="composer-modes" role="tablist" aria-label={t('composer.modeLabel')}>
        {(['reply', 'note'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? 'is-current' : undefined}
            onClick={() => setMode(m)}
          >
            {m === 'reply' ? t('composer.reply') : t('composer.note')}
          </button>
        ))}
      </div>
      {mode === 'note' ? (
        <NoteComposer conversationId={conversation.id} />
      ) : win.open ? (
        <ReplyComposer conversationId={conversation.id} replyTo={replyTo} onClearReply={onClearReply} />
      ) : (
        <div className="window-closed-notice" role="note" data-testid="window-closed-notice">
          <p>
            <strong>{t('composer.windowClosedTitle')}</strong>
          </p>
          <p>
            {conversation.windowExpiresAt === null
              ? t('composer.windowNeverOpened')
              : t('composer.windowClosedBody')}
          </p>
          {conversation.number === null ? null : (
            <TemplateComposer conversationId={conversation.id} numberId={conversation.number.id} />
          )}
          <button type="button" className="button-link" onClick={() => setMode('note')}>
            {t('composer.writeNoteInstead')}
          </button>
        </div>
      )}
    </div>
  );
}
