import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BulkConversationAction } from '@switchboard/contracts';
import { bulkUpdateConversations } from '../api/bulkApi';
import { inboxKeys } from '../api/inboxKeys';

/** A bulk action on the selected conversations; the lists, counts and open views refetch after. */
export function useBulkAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, action }: { ids: readonly string[]; action: BulkConversationAction }) =>
      bulkUpdateConversations(ids, action),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
      void queryClient.invalidateQueries({ queryKey: inboxKeys.allCounts });
      void queryClient.invalidateQueries({ queryKey: ['inbox', 'conversation'] });
    },
  });
}
