import { z } from 'zod';
import { availabilitySchema } from './identity.ts';

const teamName = z.string().trim().min(1, 'Required').max(100, 'Must be at most 100 characters');
/** An empty description is stored as none. */
const teamDescription = z.string().trim().max(500, 'Must be at most 500 characters').nullable();
const maxOpenPerAgent = z
  .number({ error: 'Must be a whole number from 1 to 1000, or null for no limit' })
  .int('Must be a whole number')
  .min(1, 'Must be at least 1')
  .max(1000, 'Must be at most 1000')
  .nullable();

export const createTeamRequestSchema = z.strictObject({
  name: teamName,
  description: teamDescription.optional(),
  /** New conversations of the team go round robin to its online members. */
  autoAssign: z.boolean().default(false),
  /** Most open or pending conversations round robin gives one member; null: no limit. */
  maxOpenPerAgent: maxOpenPerAgent.default(null),
});
export type CreateTeamRequest = z.infer<typeof createTeamRequestSchema>;

export const updateTeamRequestSchema = z.strictObject({
  name: teamName.optional(),
  description: teamDescription.optional(),
  autoAssign: z.boolean().optional(),
  maxOpenPerAgent: maxOpenPerAgent.optional(),
});
export type UpdateTeamRequest = z.infer<typeof updateTeamRequestSchema>;

export const teamViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    autoAssign: z.boolean(),
    maxOpenPerAgent: z.number().int().nullable(),
    memberCount: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Team' });
export type TeamView = z.infer<typeof teamViewSchema>;

export const teamMemberViewSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.string(),
    status: z.enum(['active', 'deactivated']),
    availability: availabilitySchema,
    /** When round robin last gave this member a conversation of the team. */
    lastAssignedAt: z.iso.datetime().nullable(),
    addedAt: z.iso.datetime(),
  })
  .meta({ id: 'TeamMember' });
export type TeamMemberView = z.infer<typeof teamMemberViewSchema>;
