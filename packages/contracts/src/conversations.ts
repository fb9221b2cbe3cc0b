import { z } from 'zod';

// Bulk actions on conversations (POST /api/v1/conversations/bulk): one action applied to many
// conversations, each on its own, with a result per id.

/** The most conversations one bulk request may name. */
export const BULK_CONVERSATIONS_MAX = 500;

const uuid = () => z.uuid({ error: 'Must be a UUID' });

export const bulkConversationActionSchema = z.discriminatedUnion(
  'type',
  [
    z
      .strictObject({
        type: z.literal('assign'),
        /** An active user of the organization, or null to unassign. */
        assigneeId: uuid().nullable().optional(),
        /** A team of the organization, or null for none. */
        teamId: uuid().nullable().optional(),
      })
      .refine((a) => a.assigneeId !== undefined || a.teamId !== undefined, {
        message: 'Give assigneeId, teamId or both',
        path: ['assigneeId'],
      }),
    z.strictObject({
      type: z.literal('status'),
      /** Snoozing needs a time per conversation, so it is not a bulk action. */
      status: z.enum(['open', 'pending', 'resolved'], { error: 'Must be open, pending or resolved' }),
    }),
    z.strictObject({ type: z.literal('addLabel'), labelId: uuid() }),
    z.strictObject({ type: z.literal('removeLabel'), labelId: uuid() }),
  ],
  { error: 'Must be one of assign, status, addLabel, removeLabel' },
);
export type BulkConversationAction = z.infer<typeof bulkConversationActionSchema>;

export const bulkConversationsRequestSchema = z.strictObject({
  ids: z
    .array(uuid())
    .min(1, 'Give at least one conversation id')
    .max(BULK_CONVERSATIONS_MAX, `At most ${BULK_CONVERSATIONS_MAX} conversations per request`)
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      ids.forEach((id, index) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', message: 'Listed twice', path: [index] });
        seen.add(id);
      });
    }),
  action: bulkConversationActionSchema,
});
export type BulkConversationsRequest = z.infer<typeof bulkConversationsRequestSchema>;

/** One conversation's outcome: done, or the error code and detail a single request would have got. */
export const bulkConversationResultSchema = z
  .object({
    id: z.uuid(),
    ok: z.boolean(),
    code: z.string().optional().describe('When not ok: `not_found`, `conflict`, …'),
    detail: z.string().optional(),
  })
  .meta({ id: 'BulkConversationResult' });
export type BulkConversationResult = z.infer<typeof bulkConversationResultSchema>;

export const bulkConversationsResponseSchema = z.object({
  results: z.array(bulkConversationResultSchema).describe('One per id, in the order given'),
  succeeded: z.number().int(),
  failed: z.number().int(),
});
export type BulkConversationsResponse = z.infer<typeof bulkConversationsResponseSchema>;
