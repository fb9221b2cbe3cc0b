import type { ReactNode } from 'react';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useNow } from '../../../lib/useNow';
import { contactName } from '../../contacts/contactName';
import type { Conversation } from '../api/types';
import { windowState } from '../composerText';
import { ConversationActions } from './ConversationActions';
import { TypingLine } from './TypingLine';
import { WindowCountdown } from './WindowCountdown';

export function ConversationHeader({
  conversation: c,
  contactToggle,
}: {
  conversation: Conversation;
  /** The contact drawer's button, where the contact panel has no column (tablet width). */
  contactToggle?: ReactNode;
}) {
  const { t } = useI18n();
  const now = useNow();
  return (
    <header className="thread-header">
      <div className="thread-title">
        <h2 data-testid="thread-contact">{contactName(c.contact, t('contact.unknown'))}</h2>
        <p className="muted">
          {c.number === null
            ? t('inbox.numberDisconnected')
            : `${c.number.purpose} · ${c.number.displayPhoneNumber}`}
          {' · '}
          <WindowCountdown state={windowState(c.windowExpiresAt, now)} />
        </p>
        <TypingLine conversationId={c.id} />
      </div>
      {contactToggle}
      <ConversationActions conversation={c} />
    </header>
  );
}
