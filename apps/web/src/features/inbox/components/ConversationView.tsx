import { useEffect, useId, useRef, useState } from 'react';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useMediaQuery } from '../../../lib/useMediaQuery';
import { ContactPanel } from '../../contacts/components/ContactPanel';
import { setOpenConversationId } from '../api/inboxKeys';
import { threadMessages } from '../api/cacheUpdates';
import type { Message } from '../api/types';
import { useConversation, useMarkRead, useMessages } from '../hooks/useInbox';
import { Composer } from './Composer';
import { ContactDrawer } from './ContactDrawer';
import { ConversationHeader } from './ConversationHeader';
import { ThreadMessages } from './ThreadMessages';

/** Where the contact panel has no column of its own (styles: the tablet media query). */
const CONTACT_FOLDED = '(max-width: 1100px)';

/**
 * The open conversation: header with actions, the thread, the composer, and the contact beside;
 * at tablet width the contact opens from a button in the header as a drawer over the thread.
 */
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

  const folded = useMediaQuery(CONTACT_FOLDED);
  const [drawerOpen, setDrawerOpen] = useState(false);
  if (drawerOpen && !folded) setDrawerOpen(false);
  const drawerId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);

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
        <ConversationHeader
          conversation={c}
          contactToggle={
            folded ? (
              <button
                ref={toggleRef}
                type="button"
                className="button-secondary contact-toggle"
                aria-expanded={drawerOpen}
                aria-controls={drawerId}
                aria-haspopup="dialog"
                onClick={() => setDrawerOpen(true)}
              >
                {t('contactDrawer.open')}
              </button>
            ) : null
          }
        />
        <ThreadMessages conversationId={c.id} onReply={setReplyTo} />
        <Composer conversation={c} replyTo={replyTo} onClearReply={() => setReplyTo(undefined)} />
      </section>
      {folded ? (
        <ContactDrawer
          id={drawerId}
          open={drawerOpen}
          onClose={() => {
            setDrawerOpen(false);
            toggleRef.current?.focus();
          }}
        >
          <ContactPanel contactId={c.contact.id} currentConversationId={c.id} />
        </ContactDrawer>
      ) : (
        <aside className="inbox-contact-pane" aria-label={t('contact.panelLabel')}>
          <ContactPanel contactId={c.contact.id} currentConversationId={c.id} />
        </aside>
      )}
    </>
  );
}
