import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { useI18n } from '../../../lib/i18n/useI18n';
import { contactName } from '../contactName';
import { useContact } from '../hooks/useContacts';
import { ContactAttributes } from './ContactAttributes';
import { ContactConversations } from './ContactConversations';
import { ContactLabels } from './ContactLabels';
import { ContactNotes } from './ContactNotes';
import { ContactProfile } from './ContactProfile';

/** Everything about the customer: profile, phone, labels, custom attributes, notes, other conversations. */
export function ContactPanel({
  contactId,
  currentConversationId,
}: {
  contactId: string;
  currentConversationId?: string;
}) {
  const { t } = useI18n();
  const contact = useContact(contactId);
  if (contact.isPending) return <Skeleton lines={6} />;
  if (contact.isError) return <QueryError error={contact.error} onRetry={() => void contact.refetch()} />;
  const c = contact.data;
  return (
    <div className="contact-panel" data-testid="contact-panel">
      <h2 className="visually-hidden">{contactName(c, t('contact.unknown'))}</h2>
      <ContactProfile contact={c} />
      <ContactLabels contact={c} />
      <ContactAttributes contact={c} />
      <ContactNotes contactId={c.id} />
      <ContactConversations contactId={c.id} currentConversationId={currentConversationId} />
    </div>
  );
}
