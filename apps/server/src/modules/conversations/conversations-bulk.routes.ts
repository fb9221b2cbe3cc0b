import {
  BULK_CONVERSATIONS_MAX,
  bulkConversationsRequestSchema,
  bulkConversationsResponseSchema,
  problemSchema,
} from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { ConversationsBulkService } from './conversations-bulk.service.ts';

export function registerConversationBulkRoutes(
  app: ZodApp,
  deps: { conversationsBulk: ConversationsBulkService },
): void {
  app.post(
    '/api/v1/conversations/bulk',
    {
      // Every bulk action is inbox work, as its single-conversation route is: one check per request.
      config: { access: 'tenant', permission: 'conversations.manage' },
      schema: {
        tags: ['conversations'],
        summary: 'Apply one action to many conversations (assign, status, add or remove a label)',
        description:
          `At most ${BULK_CONVERSATIONS_MAX} ids, each at most once. \`assign\` takes \`assigneeId\` ` +
          '(an active user, or null to unassign) and/or `teamId` (a team, or null); `status` is `open`, ' +
          '`pending` or `resolved`; `addLabel` and `removeLabel` take a `labelId`. Each conversation is ' +
          'changed as its single route would change it (same events and notifications), on its own: ' +
          'the answer has a result per id, in order, with the code a single request would have got ' +
          '(`not_found` for ids the organization does not have, `conflict` for a reopening refused). ' +
          'Invalid input answers 400, and an assignee, team or label the organization does not have ' +
          '422, each listing every issue; nothing is changed.',
        body: bulkConversationsRequestSchema,
        response: { 200: bulkConversationsResponseSchema, ...problemResponses, 422: problemSchema },
      },
    },
    async (request) => deps.conversationsBulk.applyBulkAction(tenantPrincipal(request), request.body),
  );
}
