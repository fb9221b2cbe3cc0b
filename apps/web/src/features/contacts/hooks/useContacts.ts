import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listConversations } from '../../inbox/api/conversationsApi';
import { inboxKeys } from '../../inbox/api/inboxKeys';
import {
  addContactNote,
  getContact,
  listAttributeDefinitions,
  listContactNotes,
  listContacts,
  setContactLabel,
  updateContact,
  type AttributeValue,
  type Contact,
} from '../api/contactsApi';

export const contactKeys = {
  list: (q: string) => ['contacts', 'list', q] as const,
  detail: (id: string) => ['contacts', 'detail', id] as const,
  notes: (id: string) => ['contacts', 'notes', id] as const,
  attributes: ['contacts', 'attributes'] as const,
};

export function useContactList(q: string) {
  return useInfiniteQuery({
    queryKey: contactKeys.list(q),
    queryFn: ({ pageParam, signal }) => listContacts(q === '' ? undefined : q, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useContact(id: string) {
  return useQuery({ queryKey: contactKeys.detail(id), queryFn: ({ signal }) => getContact(id, signal) });
}

export function useAttributeDefinitions() {
  return useQuery({
    queryKey: contactKeys.attributes,
    queryFn: ({ signal }) => listAttributeDefinitions(signal),
    staleTime: 60_000,
  });
}

export function useContactNotes(id: string) {
  return useQuery({ queryKey: contactKeys.notes(id), queryFn: ({ signal }) => listContactNotes(id, signal) });
}

export function useContactConversations(contactId: string) {
  return useQuery({
    queryKey: inboxKeys.contactConversations(contactId),
    queryFn: ({ signal }) =>
      listConversations({ contactId, status: 'all', assignee: undefined, limit: 20 }, signal),
  });
}

export function useUpdateContact(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: { name?: string | null; attributes?: Record<string, AttributeValue> }) =>
      updateContact(id, patch),
    onSuccess: (contact) => {
      queryClient.setQueryData(contactKeys.detail(id), contact);
      void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['contacts', 'list'] });
    },
  });
}

export function useAddContactNote(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => addContactNote(id, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: contactKeys.notes(id) }),
  });
}

export function useToggleContactLabel(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ labelId, attached }: { labelId: string; attached: boolean }) =>
      setContactLabel(id, labelId, attached),
    onSuccess: (labels) =>
      queryClient.setQueryData<Contact>(contactKeys.detail(id), (c) =>
        c === undefined ? c : { ...c, labels },
      ),
  });
}
