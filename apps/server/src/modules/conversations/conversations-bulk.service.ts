// Bulk actions on conversations: one action (assign, status, add or remove a label) applied to
// many conversations. Each conversation goes through the same service function as its single
// route (updateConversation, labelConversation/unlabelConversation), in its own transaction, so it
// writes the same realtime events and side effects; one failing does not stop the others. Ids the
// organization does not have (another organization's included) are reported `not_found`.
import type {
  BulkConversationAction,
  BulkConversationResult,
  BulkConversationsRequest,
  BulkConversationsResponse,
} from '@switchboard/contracts';
import type { TenantPrincipal } from '../../platform/auth/principal.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { AppError, type FieldIssue } from '../../platform/errors.ts';
import type { LabelsService } from '../labels/labels.service.ts';
import { labelsRepo } from '../labels/labels.repo.ts';
import { teamsRepo } from '../teams/teams.repo.ts';
import { usersRepo } from '../users/users.repo.ts';
import type { ConversationsService } from './conversations.service.ts';

/** What the action names (assignee, team, label) must exist, or no conversation is touched. */
async function actionIssues(tx: Executor, tenantId: string, action: BulkConversationAction) {
  const issues: FieldIssue[] = [];
  if (action.type === 'assign') {
    if (action.assigneeId) {
      const user = await usersRepo(tx).findById(tenantId, action.assigneeId);
      if (user?.status !== 'active')
        issues.push({
          path: 'body.action.assigneeId',
          message: 'No active user with this id in the organization',
        });
    }
    if (action.teamId && !(await teamsRepo(tx).findById(tenantId, action.teamId)))
      issues.push({ path: 'body.action.teamId', message: 'No team with this id in the organization' });
  } else if (action.type === 'addLabel' || action.type === 'removeLabel') {
    if (!(await labelsRepo(tx).findById(tenantId, action.labelId)))
      issues.push({ path: 'body.action.labelId', message: 'No label with this id in the organization' });
  }
  return issues;
}

export function createConversationsBulkService(deps: {
  database: Database;
  conversations: Pick<ConversationsService, 'updateConversation'>;
  labels: Pick<LabelsService, 'labelConversation' | 'unlabelConversation'>;
}) {
  const { database, conversations, labels } = deps;

  function applyOne(
    principal: TenantPrincipal,
    id: string,
    action: BulkConversationAction,
  ): Promise<unknown> {
    const { tenantId } = principal;
    switch (action.type) {
      case 'assign':
        return conversations.updateConversation(
          tenantId,
          id,
          { assigneeId: action.assigneeId, teamId: action.teamId },
          principal.kind === 'user' ? principal.userId : null,
        );
      case 'status':
        return conversations.updateConversation(tenantId, id, { status: action.status });
      case 'addLabel':
        return labels.labelConversation(tenantId, id, action.labelId);
      case 'removeLabel':
        return labels.unlabelConversation(tenantId, id, action.labelId);
    }
  }

  /**
   * Applies the action to each conversation in turn and answers a result per id, in order. An
   * AppError of one conversation (not found, conflict…) is its result; anything else is thrown.
   */
  async function applyBulkAction(
    principal: TenantPrincipal,
    request: BulkConversationsRequest,
  ): Promise<BulkConversationsResponse> {
    const { tenantId } = principal;
    const issues = await database.tenant(tenantId, (tx) => actionIssues(tx, tenantId, request.action));
    if (issues.length > 0)
      throw new AppError('unprocessable_content', 'The action cannot be applied.', { errors: issues });
    const results: BulkConversationResult[] = [];
    for (const id of request.ids) {
      try {
        await applyOne(principal, id, request.action);
        results.push({ id, ok: true });
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'internal') throw err;
        results.push({ id, ok: false, code: err.code, detail: err.message });
      }
    }
    const succeeded = results.filter((r) => r.ok).length;
    return { results, succeeded, failed: results.length - succeeded };
  }

  return { applyBulkAction };
}

export type ConversationsBulkService = ReturnType<typeof createConversationsBulkService>;
