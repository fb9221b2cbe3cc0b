// Teams and their members. Round robin itself is in round-robin.ts, run by the inbound service
// inside the transaction that creates a conversation.
import type { CreateTeamRequest, UpdateTeamRequest } from '@switchboard/contracts';
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import type { Actor } from '../../platform/auth/principal.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { usersRepo } from '../users/users.repo.ts';
import {
  teamsRepo,
  type TeamMemberRow,
  type TeamPatch,
  type TeamRow,
  type TeamWithCount,
} from './teams.repo.ts';

const NAME_KEY = 'teams_name_key';
const TEAM_NOT_FOUND = 'Team not found.';

/** What an audit entry shows of a team. */
const auditView = (t: TeamRow) => ({
  name: t.name,
  description: t.description,
  autoAssign: t.autoAssign,
  maxOpenPerAgent: t.maxOpenPerAgent,
});

function nameTaken(): AppError {
  return new AppError('conflict', 'A team with this name already exists in your organization.', {
    errors: [{ path: 'body.name', message: 'Already taken (names are compared ignoring case)' }],
  });
}

/** Turns the unique index's verdict (a concurrent create or rename won) into the same 409. */
async function orNameTaken<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err, NAME_KEY)) throw nameTaken();
    throw err;
  }
}

export function createTeamsService(deps: { database: Database; clock: Clock; audit: AuditService }) {
  const { database, clock, audit } = deps;

  async function existingTeam(tx: Executor, tenantId: string, id: string): Promise<TeamWithCount> {
    return orNotFound(await teamsRepo(tx).findById(tenantId, id), TEAM_NOT_FOUND);
  }

  async function listTeams(tenantId: string): Promise<TeamWithCount[]> {
    return database.tenant(tenantId, (tx) => teamsRepo(tx).list(tenantId));
  }

  async function getTeam(tenantId: string, id: string): Promise<TeamWithCount> {
    return database.tenant(tenantId, (tx) => existingTeam(tx, tenantId, id));
  }

  async function createTeam(
    tenantId: string,
    input: CreateTeamRequest,
    actor: Actor,
  ): Promise<TeamWithCount> {
    const now = clock.now();
    return orNameTaken(() =>
      database.tenant(tenantId, async (tx) => {
        const repo = teamsRepo(tx);
        if (await repo.findByName(tenantId, input.name)) throw nameTaken();
        const row = await repo.insert(tenantId, {
          id: uuidv7(now.getTime()),
          name: input.name,
          description: input.description || null,
          autoAssign: input.autoAssign,
          maxOpenPerAgent: input.maxOpenPerAgent,
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(tx, tenantId, actor, {
          action: 'team.created',
          target: { type: 'team', id: row.id },
          after: auditView(row),
        });
        return { ...row, memberCount: 0 };
      }),
    );
  }

  async function updateTeam(
    tenantId: string,
    id: string,
    patch: UpdateTeamRequest,
    actor: Actor,
  ): Promise<TeamWithCount> {
    return orNameTaken(() =>
      database.tenant(tenantId, async (tx) => {
        const repo = teamsRepo(tx);
        const before = orNotFound(await repo.lock(tenantId, id, 'assign'), TEAM_NOT_FOUND);
        const set: TeamPatch = {};
        if (patch.name !== undefined && patch.name !== before.name) {
          const holder = await repo.findByName(tenantId, patch.name);
          if (holder && holder.id !== id) throw nameTaken();
          set.name = patch.name;
        }
        if (patch.description !== undefined && (patch.description || null) !== before.description)
          set.description = patch.description || null;
        if (patch.autoAssign !== undefined && patch.autoAssign !== before.autoAssign)
          set.autoAssign = patch.autoAssign;
        if (patch.maxOpenPerAgent !== undefined && patch.maxOpenPerAgent !== before.maxOpenPerAgent)
          set.maxOpenPerAgent = patch.maxOpenPerAgent;
        const changed = Object.keys(set) as (keyof TeamPatch)[];
        if (changed.length > 0) {
          const after = orNotFound(
            await repo.update(tenantId, id, { ...set, updatedAt: clock.now() }),
            TEAM_NOT_FOUND,
          );
          await audit.record(tx, tenantId, actor, {
            action: 'team.updated',
            target: { type: 'team', id },
            before: Object.fromEntries(changed.map((f) => [f, before[f]])),
            after: Object.fromEntries(changed.map((f) => [f, after[f]])),
          });
        }
        return existingTeam(tx, tenantId, id);
      }),
    );
  }

  /** Deletes the team; its conversations and numbers keep going, without a team. */
  async function deleteTeam(tenantId: string, id: string, actor: Actor): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      const repo = teamsRepo(tx);
      const team = orNotFound(await repo.lock(tenantId, id, 'delete'), TEAM_NOT_FOUND);
      const cleared = await repo.delete(tenantId, id, clock.now());
      await audit.record(tx, tenantId, actor, {
        action: 'team.deleted',
        target: { type: 'team', id },
        before: auditView(team),
        after: {
          membersRemoved: cleared.members,
          conversationsUnteamed: cleared.conversations,
          numbersWithoutDefaultTeam: cleared.numbers,
        },
      });
    });
  }

  async function listMembers(tenantId: string, teamId: string): Promise<TeamMemberRow[]> {
    return database.tenant(tenantId, async (tx) => {
      await existingTeam(tx, tenantId, teamId);
      return teamsRepo(tx).listMembers(tenantId, teamId);
    });
  }

  /** Adds an active user of the organization to the team; adding a member again changes nothing. */
  async function addMember(
    tenantId: string,
    teamId: string,
    userId: string,
    actor: Actor,
  ): Promise<{ member: TeamMemberRow; added: boolean }> {
    return database.tenant(tenantId, async (tx) => {
      const repo = teamsRepo(tx);
      // Locked so the team cannot be deleted between this check and the insert.
      orNotFound(await repo.lock(tenantId, teamId, 'share'), TEAM_NOT_FOUND);
      const user = orNotFound(
        await usersRepo(tx).findById(tenantId, userId),
        'No user with this id in your organization.',
      );
      if (user.status !== 'active') {
        throw new AppError(
          'validation_failed',
          'This user is deactivated; reactivate them to add them to a team.',
          {
            errors: [{ path: 'params.userId', message: 'The user is deactivated' }],
          },
        );
      }
      const added = await repo.addMember(tenantId, teamId, userId, clock.now());
      if (added) {
        await audit.record(tx, tenantId, actor, {
          action: 'team.member_added',
          target: { type: 'team', id: teamId },
          after: { userId, email: user.email },
        });
      }
      const member = orNotFound(await repo.findMember(tenantId, teamId, userId), 'Team member not found.');
      return { member, added };
    });
  }

  async function removeMember(tenantId: string, teamId: string, userId: string, actor: Actor): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      const repo = teamsRepo(tx);
      await existingTeam(tx, tenantId, teamId);
      if (!(await repo.removeMember(tenantId, teamId, userId)))
        throw new AppError('not_found', 'This user is not a member of the team.');
      await audit.record(tx, tenantId, actor, {
        action: 'team.member_removed',
        target: { type: 'team', id: teamId },
        before: { userId },
      });
    });
  }

  return { listTeams, getTeam, createTeam, updateTeam, deleteTeam, listMembers, addMember, removeMember };
}

export type TeamsService = ReturnType<typeof createTeamsService>;
