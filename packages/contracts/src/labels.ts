import { z } from 'zod';

// Labels: an organization's own tags for conversations and contacts ("VIP", "Billing").

/** `#rrggbb`, stored lower-cased. */
export const labelColorSchema = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Must be a hex colour such as #1f8a70')
  .toLowerCase();

/** Unique per organization whatever the case. */
export const labelNameSchema = z.string().trim().min(1, 'Required').max(50, 'Must be at most 50 characters');

const labelDescriptionSchema = z.string().trim().max(500, 'Must be at most 500 characters').nullable();

export const createLabelRequestSchema = z.strictObject({
  name: labelNameSchema,
  description: labelDescriptionSchema.optional(),
  color: labelColorSchema,
});
export type CreateLabelRequest = z.infer<typeof createLabelRequestSchema>;

export const updateLabelRequestSchema = z.strictObject({
  name: labelNameSchema.optional(),
  description: labelDescriptionSchema.optional(),
  color: labelColorSchema.optional(),
});
export type UpdateLabelRequest = z.infer<typeof updateLabelRequestSchema>;

/** A label as conversations and contacts carry it. */
export const labelSummarySchema = z
  .object({ id: z.uuid(), name: z.string(), color: z.string() })
  .meta({ id: 'LabelSummary' });
export type LabelSummary = z.infer<typeof labelSummarySchema>;
