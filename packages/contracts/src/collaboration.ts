import { z } from 'zod';

// Agents working a conversation together: private notes with mentions, canned responses, typing.

export const NOTE_MAX_LENGTH = 10_000;
export const MAX_MENTIONS = 20;

/** A private note. Mentions are explicit user ids (the body is free text; render chips from `mentions`). */
export const createNoteRequestSchema = z.strictObject({
  body: z
    .string()
    .trim()
    .min(1, 'Required')
    .max(NOTE_MAX_LENGTH, `Must be at most ${NOTE_MAX_LENGTH} characters`),
  mentions: z
    .array(z.uuid({ error: 'Must be a user id' }))
    .max(MAX_MENTIONS, `At most ${MAX_MENTIONS} mentions`)
    .default([]),
});
export type CreateNoteRequest = z.infer<typeof createNoteRequestSchema>;

/** `/shortcode`: stored lower-cased; unique per organization whatever the case it was typed in. */
export const cannedShortCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Required')
  .max(50, 'Must be at most 50 characters')
  .regex(/^[a-z0-9_-]+$/, 'Only letters a-z, digits, _ and -');

/** WhatsApp text bodies hold up to 4,096 characters. */
export const cannedContentSchema = z.string().trim().min(1, 'Required').max(4096);

/**
 * The closed set of variables a canned response may use, as `{{contact.name}}`, or with a
 * fallback for when the value is missing: `{{contact.first_name | there}}`.
 */
export const cannedVariables = [
  'contact.name',
  'contact.first_name',
  'contact.phone',
  'agent.name',
  'agent.first_name',
  'organization.name',
] as const;
export type CannedVariable = (typeof cannedVariables)[number];

/** What a client sends on the realtime socket while composing (and `isTyping: false` when it stops). */
export const typingFrameSchema = z.strictObject({
  type: z.literal('typing'),
  conversationId: z.uuid({ error: 'Must be a conversation id' }),
  isTyping: z.boolean().default(true),
});
export type TypingFrame = z.infer<typeof typingFrameSchema>;
