// Assignment inside the caller's transaction: the team and round-robin assignee of a new
// conversation, and the notification an assignee receives.
//
// Round robin is race-free because the team row is locked (FOR NO KEY UPDATE) before the next
// member is chosen and their mark moved, and held until the transaction commits with the new
// conversation: concurrent new conversations of one team pick one after another, each seeing the
// marks and the open conversations the previous ones left.
import type { Executor } from '../../platform/db/database.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { recordNotifications } from '../notifications/notifications.service.ts';
import { numbersRepo } from '../whatsapp/numbers.repo.ts';
import { teamsRepo } from './teams.repo.ts';

export interface Routing {
  teamId: string | null;
  assigneeId: string | null;
}

/**
 * Gives the conversation to the team's next eligible member, or to nobody when none is eligible
 * (or the team does not auto-assign). Locks the team until the transaction ends.
 */
export async function pickRoundRobin(
  tx: Executor,
  tenantId: string,
  teamId: string,
  now: Date,
): Promise<Routing> {
  const repo = teamsRepo(tx);
  const team = await repo.lock(tenantId, teamId, 'assign');
  if (!team) return { teamId: null, assigneeId: null };
  if (!team.autoAssign) return { teamId: team.id, assigneeId: null };
  const assigneeId = (await repo.nextAssignee(tenantId, team)) ?? null;
  if (assigneeId) await repo.markAssigned(tenantId, team.id, assigneeId, now);
  return { teamId: team.id, assigneeId };
}

/**
 * A new conversation on a number goes to the number's default team, round robin when it says so.
 * The number's purpose comes along for the new-conversation notifications.
 */
export async function routeNewConversation(
  tx: Executor,
  tenantId: string,
  numberId: string,
  now: Date,
): Promise<Routing & { numberPurpose: string | null }> {
  const number = await numbersRepo(tx).findById(tenantId, numberId);
  const numberPurpose = number?.purpose ?? null;
  if (!number?.defaultTeamId) return { teamId: null, assigneeId: null, numberPurpose };
  return { ...(await pickRoundRobin(tx, tenantId, number.defaultTeamId, now)), numberPurpose };
}

/**
 * Tells the new assignee, unless they took the conversation themselves: an `assignment`
 * notification and its realtime event, for the caller to record last in its transaction.
 * `actorUserId` is null for the system (round robin) and for API keys.
 */
export async function notifyAssignee(
  tx: Executor,
  tenantId: string,
  input: { conversationId: string; assigneeId: string; actorUserId: string | null },
  now: Date,
): Promise<NewRealtimeEvent[]> {
  if (input.assigneeId === input.actorUserId) return [];
  const { events } = await recordNotifications(
    tx,
    tenantId,
    [
      {
        userId: input.assigneeId,
        kind: 'assignment',
        conversationId: input.conversationId,
        messageId: null,
        actorUserId: input.actorUserId,
      },
    ],
    now,
  );
  return events;
}
