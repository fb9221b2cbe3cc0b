// SQL of teams, their members and round robin. Teams have no foreign keys (none of our tables do):
// deleting one clears the references to it here, in the caller's transaction.
import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { conversations } from '../conversations/conversations.tables.ts';
import { users } from '../users/users.tables.ts';
import { whatsappNumbers } from '../whatsapp/whatsapp.tables.ts';
import { teamMembers, teams } from './teams.tables.ts';

export type TeamRow = typeof teams.$inferSelect;
export type TeamWithCount = TeamRow & { memberCount: number };
export type TeamPatch = Partial<Pick<TeamRow, 'name' | 'description' | 'autoAssign' | 'maxOpenPerAgent'>>;

type UserRow = typeof users.$inferSelect;
export interface TeamMemberRow extends Pick<
  UserRow,
  'email' | 'firstName' | 'lastName' | 'role' | 'status' | 'availability'
> {
  userId: string;
  lastAssignedAt: Date | null;
  addedAt: Date;
}

/** Conversations that count against an agent's automatic-assignment capacity. */
const WORKING = ['open', 'pending'] as const;

export const teamsRepo = (tx: Executor) => {
  const memberCount = sql<number>`(select count(*)::int from ${teamMembers}
    where ${teamMembers.tenantId} = ${teams.tenantId} and ${teamMembers.teamId} = ${teams.id})`;
  const memberColumns = {
    userId: users.id,
    email: users.email,
    firstName: users.firstName,
    lastName: users.lastName,
    role: users.role,
    status: users.status,
    availability: users.availability,
    lastAssignedAt: teamMembers.lastAssignedAt,
    addedAt: teamMembers.createdAt,
  };
  const byId = (tenantId: string, id: string) => and(eq(teams.tenantId, tenantId), eq(teams.id, id));

  return {
    async insert(tenantId: string, row: Omit<TeamRow, 'tenantId'>): Promise<TeamRow> {
      return insertedRow(
        await tx
          .insert(teams)
          .values({ ...row, tenantId })
          .returning(),
      );
    },
    async list(tenantId: string): Promise<TeamWithCount[]> {
      return tx
        .select({ ...getTableColumns(teams), memberCount })
        .from(teams)
        .where(eq(teams.tenantId, tenantId))
        .orderBy(asc(sql`lower(${teams.name})`), asc(teams.id));
    },
    async findById(tenantId: string, id: string): Promise<TeamWithCount | undefined> {
      const [row] = await tx
        .select({ ...getTableColumns(teams), memberCount })
        .from(teams)
        .where(byId(tenantId, id));
      return row;
    },
    async findByName(tenantId: string, name: string): Promise<TeamRow | undefined> {
      const [row] = await tx
        .select()
        .from(teams)
        .where(and(eq(teams.tenantId, tenantId), sql`lower(${teams.name}) = lower(${name})`));
      return row;
    },
    /**
     * Locks the team until the transaction ends. `share` (FOR KEY SHARE) only keeps it from being
     * deleted meanwhile; `assign` (FOR NO KEY UPDATE) also serializes round robin within the team,
     * and `delete` (FOR UPDATE) waits for both.
     */
    async lock(
      tenantId: string,
      id: string,
      mode: 'share' | 'assign' | 'delete',
    ): Promise<TeamRow | undefined> {
      const strength = ({ share: 'key share', assign: 'no key update', delete: 'update' } as const)[mode];
      const [row] = await tx.select().from(teams).where(byId(tenantId, id)).for(strength);
      return row;
    },
    async update(
      tenantId: string,
      id: string,
      patch: TeamPatch & { updatedAt: Date },
    ): Promise<TeamRow | undefined> {
      const [row] = await tx.update(teams).set(patch).where(byId(tenantId, id)).returning();
      return row;
    },
    /** Deletes the team, its memberships and every reference to it; returns what was cleared. */
    async delete(
      tenantId: string,
      id: string,
      now: Date,
    ): Promise<{ conversations: number; numbers: number; members: number }> {
      const members = await tx
        .delete(teamMembers)
        .where(and(eq(teamMembers.tenantId, tenantId), eq(teamMembers.teamId, id)))
        .returning({ userId: teamMembers.userId });
      const convos = await tx
        .update(conversations)
        .set({ teamId: null, updatedAt: now })
        .where(and(eq(conversations.tenantId, tenantId), eq(conversations.teamId, id)))
        .returning({ id: conversations.id });
      const numbers = await tx
        .update(whatsappNumbers)
        .set({ defaultTeamId: null, updatedAt: now })
        .where(and(eq(whatsappNumbers.tenantId, tenantId), eq(whatsappNumbers.defaultTeamId, id)))
        .returning({ id: whatsappNumbers.id });
      await tx.delete(teams).where(byId(tenantId, id));
      return { conversations: convos.length, numbers: numbers.length, members: members.length };
    },

    async listMembers(tenantId: string, teamId: string): Promise<TeamMemberRow[]> {
      return tx
        .select(memberColumns)
        .from(teamMembers)
        .innerJoin(users, and(eq(users.tenantId, teamMembers.tenantId), eq(users.id, teamMembers.userId)))
        .where(and(eq(teamMembers.tenantId, tenantId), eq(teamMembers.teamId, teamId)))
        .orderBy(asc(users.firstName), asc(users.lastName), asc(users.id));
    },
    async findMember(tenantId: string, teamId: string, userId: string): Promise<TeamMemberRow | undefined> {
      const [row] = await tx
        .select(memberColumns)
        .from(teamMembers)
        .innerJoin(users, and(eq(users.tenantId, teamMembers.tenantId), eq(users.id, teamMembers.userId)))
        .where(
          and(
            eq(teamMembers.tenantId, tenantId),
            eq(teamMembers.teamId, teamId),
            eq(teamMembers.userId, userId),
          ),
        );
      return row;
    },
    /** Adds the member; false when they already were one. */
    async addMember(tenantId: string, teamId: string, userId: string, now: Date): Promise<boolean> {
      const rows = await tx
        .insert(teamMembers)
        .values({ tenantId, teamId, userId, createdAt: now })
        .onConflictDoNothing({ target: [teamMembers.teamId, teamMembers.userId] })
        .returning({ userId: teamMembers.userId });
      return rows.length > 0;
    },
    async removeMember(tenantId: string, teamId: string, userId: string): Promise<boolean> {
      const rows = await tx
        .delete(teamMembers)
        .where(
          and(
            eq(teamMembers.tenantId, tenantId),
            eq(teamMembers.teamId, teamId),
            eq(teamMembers.userId, userId),
          ),
        )
        .returning({ userId: teamMembers.userId });
      return rows.length > 0;
    },

    /**
     * The member round robin gives the next conversation: an active user who is `online` and
     * under the team's capacity (when it has one), who was given one least recently (never
     * first). Call with the team locked for `assign`.
     */
    async nextAssignee(
      tenantId: string,
      team: Pick<TeamRow, 'id' | 'maxOpenPerAgent'>,
    ): Promise<string | undefined> {
      const underCapacity =
        team.maxOpenPerAgent === null
          ? sql`true`
          : sql`(select count(*) from ${conversations}
              where ${conversations.tenantId} = ${tenantId} and ${conversations.assigneeId} = ${teamMembers.userId}
                and ${inArray(conversations.status, [...WORKING])}) < ${team.maxOpenPerAgent}`;
      const [row] = await tx
        .select({ userId: teamMembers.userId })
        .from(teamMembers)
        .innerJoin(users, and(eq(users.tenantId, teamMembers.tenantId), eq(users.id, teamMembers.userId)))
        .where(
          and(
            eq(teamMembers.tenantId, tenantId),
            eq(teamMembers.teamId, team.id),
            eq(users.status, 'active'),
            eq(users.availability, 'online'),
            underCapacity,
          ),
        )
        .orderBy(
          sql`${teamMembers.lastAssignedAt} asc nulls first`,
          asc(teamMembers.createdAt),
          asc(teamMembers.userId),
        )
        .limit(1);
      return row?.userId;
    },
    /**
     * Records that round robin gave the member a conversation. The mark is kept strictly after
     * every other member's, whatever `now` is: a transaction that read the clock early but got
     * the team lock late must still go to the back of the queue.
     */
    async markAssigned(tenantId: string, teamId: string, userId: string, now: Date): Promise<void> {
      await tx
        .update(teamMembers)
        .set({
          lastAssignedAt: sql`greatest(${now}::timestamptz, (
            select max(m.last_assigned_at) + interval '1 millisecond' from ${teamMembers} m
            where m.tenant_id = ${tenantId} and m.team_id = ${teamId}))`,
        })
        .where(
          and(
            eq(teamMembers.tenantId, tenantId),
            eq(teamMembers.teamId, teamId),
            eq(teamMembers.userId, userId),
          ),
        );
    },
  };
};
