import { z } from 'zod';

// Contacts: typed custom attributes, notes about a client, and merging duplicates.

export const attributeTypes = ['text', 'number', 'boolean', 'date', 'list'] as const;
export type AttributeType = (typeof attributeTypes)[number];

export const MAX_ATTRIBUTES = 50;
export const ATTRIBUTE_TEXT_MAX = 1000;

/** The key an attribute is stored under in `contact.attributes`: a lower-case slug. */
export const attributeKeySchema = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(64, 'Must be at most 64 characters')
  .regex(/^[a-z][a-z0-9_]*$/, 'Must start with a letter a-z and use only a-z, 0-9 and _');

const attributeLabelSchema = z.string().trim().min(1, 'Required').max(100, 'Must be at most 100 characters');
const attributeDescriptionSchema = z.string().trim().max(500, 'Must be at most 500 characters').nullable();

/** The choices of a `list` attribute: distinct, in display order. */
export const attributeOptionsSchema = z
  .array(z.string().trim().min(1, 'Required').max(100, 'Must be at most 100 characters'))
  .min(1, 'A list needs at least one option')
  .max(50, 'At most 50 options')
  .refine((o) => new Set(o).size === o.length, 'Options must be distinct');

export const createAttributeDefinitionRequestSchema = z
  .strictObject({
    key: attributeKeySchema,
    label: attributeLabelSchema,
    description: attributeDescriptionSchema.optional(),
    type: z.enum(attributeTypes),
    options: attributeOptionsSchema.optional(),
  })
  .superRefine((d, ctx) => {
    if (d.type === 'list' && d.options === undefined)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Required for a list attribute' });
    if (d.type !== 'list' && d.options !== undefined)
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Only a list attribute has options' });
  });
export type CreateAttributeDefinitionRequest = z.infer<typeof createAttributeDefinitionRequestSchema>;

/** The key and type are fixed once defined: stored values depend on them. */
export const updateAttributeDefinitionRequestSchema = z.strictObject({
  label: attributeLabelSchema.optional(),
  description: attributeDescriptionSchema.optional(),
  options: attributeOptionsSchema.optional(),
});
export type UpdateAttributeDefinitionRequest = z.infer<typeof updateAttributeDefinitionRequestSchema>;

/** A stored attribute value; `date` is `YYYY-MM-DD`, `list` one of its options. */
export const attributeValueSchema = z.union([
  z.string().max(ATTRIBUTE_TEXT_MAX, `Must be at most ${ATTRIBUTE_TEXT_MAX} characters`),
  z.number(),
  z.boolean(),
  z.null(),
]);

export const contactNoteBodySchema = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(10_000, 'Must be at most 10000 characters');

export const mergeContactsRequestSchema = z.strictObject({
  sourceContactId: z.uuid({ error: 'Must be a UUID' }),
});
export type MergeContactsRequest = z.infer<typeof mergeContactsRequestSchema>;
