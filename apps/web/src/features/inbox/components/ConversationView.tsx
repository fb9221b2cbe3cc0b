import { useEffect, useState } from 'react';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { useI18n } from '../../../lib/i18n/useI18n';
import { ContactPanel } from '../../contacts/components/ContactPanel';
import { setOpenConversationId } from '../api/inboxKeys';
import { threadMessages } from '../api/cacheUpdates';
import type { Message } from '../api/types';
import { useConversation, useMarkRead, useMessages } from '../hooks/useInbox';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { ThreadMessages } from './ThreadMessages';

/** The open conversation: header with actions, the thread, the composer, and the contact beside. */
export function ConversationView({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const conversation = useConversation(conversationId);
  const [replyTo, setReplyTo] = useState<Message>();
  const markRead = useMarkRead();
  const { mutate: mark } = markRead;

  useEffect(() => {
    setOpenConversationId(conversationId);
    return () => setOpenConversationId(undefined);
  }, [conversationId]);

  const messages = useMessages(conversationId);
  const lastInboundId = threadMessages(messages.data).findLast((m) => m.direction === 'inbound')?.id;
  useEffect(() => {
    // Seen on open, and again whenever a customer message arrives while it is on screen.
    if (document.visibilityState === 'visible') mark(conversationId);
  }, [conversationId, lastInboundId, mark]);

  if (conversation.isPending) {
    return (
      <section className="inbox-thread-pane" aria-label={t('inbox.threadLabel')}>
        <Skeleton lines={8} />
      </section>
    );
  }
  if (conversation.isError) {
    return (
      <section className="inbox-thread-pane" aria-label={t('inbox.threadLabel')}>
        <QueryError error={conversation.error} onRetry={() => void conversation.refetch()} />
      </section>
    );
  }
  const c = conversation.data;
  return (
    <>
      <section className="inbox-thread-pane" aria-label={t('inbox.threadLabel')}>
        <ConversationHeader conversation={c} />
        <ThreadMessages conversationId={c.id} onReply={setReplyTo} />
        <Composer conversation={c} replyTo={replyTo} onClearReply={() => setReplyTo(undefined)} />
      </section>
      <aside className="inbox-contact-pane" aria-label={t('contact.panelLabel')}>
        <ContactPanel contactId={c.contact.id} currentConversationId={c.id} />
      </aside>
    </>
  );
}
