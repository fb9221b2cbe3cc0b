import {
  BULK_CONVERSATIONS_MAX,
  type BulkConversationAction,
  type BulkConversationsResponse,
} from '@switchboard/contracts';
import { requestApi } from '../../../lib/api/client';

/**
 * Applies one action to many conversations, in requests of at most BULK_CONVERSATIONS_MAX ids;
 * the answers are merged, a result per id in the order given.
 */
export async function bulkUpdateConversations(
  ids: readonly string[],
  action: BulkConversationAction,
): Promise<BulkConversationsResponse> {
  const merged: BulkConversationsResponse = { results: [], succeeded: 0, failed: 0 };
  for (let i = 0; i < ids.length; i += BULK_CONVERSATIONS_MAX) {
    const page = await requestApi<BulkConversationsResponse>('POST', '/conversations/bulk', {
      body: { ids: ids.slice(i, i + BULK_CONVERSATIONS_MAX), action },
    });
    merged.results.push(...page.results);
    merged.succeeded += page.succeeded;
    merged.failed += page.failed;
  }
  return merged;
}
