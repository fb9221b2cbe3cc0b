export interface NamedContact {
  name: string | null;
  profileName: string | null;
  phoneE164: string | null;
  waId: string | null;
}

/** The name an agent gave, else the WhatsApp profile name, else the phone number. */
export function contactName(contact: NamedContact, unknown: string): string {
  return (
    contact.name ??
    contact.profileName ??
    contact.phoneE164 ??
    (contact.waId === null ? unknown : `+${contact.waId}`)
  );
}
