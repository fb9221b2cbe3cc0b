import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, tenantPolicy, ts } from '../../platform/db/columns.ts';

/** A group of agents a conversation can belong to (a number's default team, or set by hand). */
export const teams = pgTable(
  'teams',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    description: text('description'),
    /** New conversations of the team go round robin to its available agents. */
    autoAssign: boolean('auto_assign').notNull().default(false),
    /** Most open conversations an agent of this team is given automatically; null: no limit. */
    maxOpenPerAgent: integer('max_open_per_agent'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [uniqueIndex('teams_name_key').on(t.tenantId, sql`lower(${t.name})`), tenantPolicy('teams')],
);

export const teamMembers = pgTable(
  'team_members',
  {
    tenantId: tenantId(),
    teamId: uuid('team_id').notNull(),
    userId: uuid('user_id').notNull(),
    /** When round robin last gave this member a conversation of the team: the oldest goes next. */
    lastAssignedAt: ts('last_assigned_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index('team_members_user_idx').on(t.tenantId, t.userId),
    tenantPolicy('team_members'),
  ],
);
