import type { AttributeType, LabelSummary } from '@switchboard/contracts';
import { requestApi } from '../../../lib/api/client';
import { signalOption, withQuery } from '../../../lib/api/query';
import type { Page } from '../../inbox/api/types';

/** The API's Contact, ContactAttributeDefinition and ContactNote views; not in @switchboard/contracts yet. */
export type AttributeValue = string | number | boolean | null;

export interface Contact {
  id: string;
  name: string | null;
  profileName: string | null;
  waId: string | null;
  phoneE164: string | null;
  whatsappUserId: string | null;
  username: string | null;
  attributes: Record<string, AttributeValue>;
  labels: LabelSummary[];
  createdAt: string;
  updatedAt: string;
}

export interface AttributeDefinition {
  id: string;
  key: string;
  label: string;
  description: string | null;
  type: AttributeType;
  options: string[];
}

export interface ContactNote {
  id: string;
  contactId: string;
  body: string;
  author: { id: string; name: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

const id = encodeURIComponent;

export function listContacts(
  q: string | undefined,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<Page<Contact>> {
  return requestApi('GET', withQuery('/contacts', { q, cursor, limit: 50 }), signalOption(signal));
}

export function getContact(contactId: string, signal?: AbortSignal): Promise<Contact> {
  return requestApi('GET', `/contacts/${id(contactId)}`, signalOption(signal));
}

export function updateContact(
  contactId: string,
  patch: { name?: string | null; attributes?: Record<string, AttributeValue> },
): Promise<Contact> {
  return requestApi('PATCH', `/contacts/${id(contactId)}`, { body: patch });
}

export async function listAttributeDefinitions(signal?: AbortSignal): Promise<AttributeDefinition[]> {
  return (
    await requestApi<{ items: AttributeDefinition[] }>('GET', '/contact-attributes', signalOption(signal))
  ).items;
}

export function listContactNotes(contactId: string, signal?: AbortSignal): Promise<Page<ContactNote>> {
  return requestApi(
    'GET',
    withQuery(`/contacts/${id(contactId)}/notes`, { limit: 50 }),
    signalOption(signal),
  );
}

export function addContactNote(contactId: string, body: string): Promise<ContactNote> {
  return requestApi('POST', `/contacts/${id(contactId)}/notes`, { body: { body } });
}

export async function setContactLabel(
  contactId: string,
  labelId: string,
  attached: boolean,
): Promise<LabelSummary[]> {
  const page = await requestApi<{ items: LabelSummary[] }>(
    attached ? 'PUT' : 'DELETE',
    `/contacts/${id(contactId)}/labels/${id(labelId)}`,
  );
  return page.items;
}
