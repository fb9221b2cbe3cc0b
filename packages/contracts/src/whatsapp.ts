import { z } from 'zod';

// WhatsApp numbers: what the API accepts and shows. Secrets (access token, app secret, verify
// token) are write-only: they appear in requests and never in a view.

/** True for a time zone the runtime's Intl knows (`Asia/Dhaka`, `UTC`); offsets like `+05:00` are refused. */
export function isIanaTimeZone(value: string): boolean {
  if (!/^[A-Za-z]/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The canonical spelling of a valid time zone (`asia/dhaka` -> `Asia/Dhaka`); other input unchanged. */
function canonicalTimeZone(value: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return value;
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .max(64)
  .refine(isIanaTimeZone, 'Must be an IANA time zone such as America/Sao_Paulo')
  .overwrite(canonicalTimeZone);

const clockTime = /^([01]\d|2[0-3]):[0-5]\d$/;
const isClockTime = (v: string, endOfDay = false) => clockTime.test(v) || (endOfDay && v === '24:00');

/** One open interval on an ISO weekday (1 = Monday ... 7 = Sunday), local `HH:MM`; `end` may be `24:00`. */
export const businessHoursIntervalSchema = z
  .strictObject({
    day: z.int().min(1, 'Must be an ISO weekday, 1 (Monday) to 7 (Sunday)').max(7, 'Must be 1 to 7'),
    start: z.string().regex(clockTime, 'Must be HH:MM, 00:00 to 23:59'),
    end: z.string().refine((v) => isClockTime(v, true), 'Must be HH:MM, 00:01 to 24:00'),
  })
  // Zero-padded HH:MM compares correctly as text; malformed times are reported on their own.
  .refine((i) => !isClockTime(i.start) || !isClockTime(i.end, true) || i.start < i.end, {
    path: ['end'],
    message: 'Must be after start',
  });

/** A weekly schedule in an IANA time zone: the number's business hours. */
export const businessHoursSchema = z.strictObject({
  timeZone: timeZoneSchema,
  intervals: z.array(businessHoursIntervalSchema).max(70, 'At most 70 intervals'),
});
export type BusinessHours = z.infer<typeof businessHoursSchema>;

function isHttpOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    url.username === '' &&
    url.password === ''
  );
}

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.facebook.com';

/** The Graph API origin (no version path); normalized to `scheme://host[:port]`. */
export const graphBaseUrlSchema = z
  .string()
  .trim()
  .max(200)
  .refine(isHttpOrigin, 'Must be an http(s) origin such as https://graph.facebook.com, without a path')
  .overwrite((v) => (isHttpOrigin(v) ? new URL(v).origin : v));

const metaId = z
  .string()
  .trim()
  .regex(/^\d{1,32}$/, 'Must be the numeric id shown in Meta’s WhatsApp Manager');
const displayPhoneNumberSchema = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(32)
  .regex(/^\+?[\d\s().-]+$/, 'Must be a phone number');
const purposeSchema = z.string().trim().min(1, 'Required').max(100);
/** WhatsApp text bodies hold up to 4,096 characters. */
const messageText = z.string().trim().min(1, 'Required; send null to clear it').max(4096);
/** Messages per second the delivery engine sends through a number: Meta's default 80, its top 1,000. */
export const throughputMpsSchema = z
  .number({ error: 'Must be a number of messages per second' })
  .int('Must be a whole number')
  .min(1, 'At least 1')
  .max(1000, "At most 1,000 (Meta's highest throughput tier)");
const secret = (max: number) => z.string().trim().min(1, 'Required').max(max);

export const connectNumberRequestSchema = z.strictObject({
  phoneNumberId: metaId,
  wabaId: metaId,
  displayPhoneNumber: displayPhoneNumberSchema,
  accessToken: secret(4096),
  appSecret: secret(256),
  verifyToken: secret(256),
  purpose: purposeSchema,
  graphBaseUrl: graphBaseUrlSchema.optional(),
  greetingMessage: messageText.optional(),
  awayMessage: messageText.optional(),
  autoReplyMessage: messageText.optional(),
  businessHours: businessHoursSchema.optional(),
  throughputMps: throughputMpsSchema.optional(),
  /** Mark inbound messages read on WhatsApp when an agent opens the conversation (default true). */
  sendReadReceipts: z.boolean().optional(),
});
export type ConnectNumberRequest = z.infer<typeof connectNumberRequestSchema>;

/** Every field optional; messages and business hours take null to clear; secrets are rotated by sending them. */
export const updateNumberRequestSchema = z.strictObject({
  displayPhoneNumber: displayPhoneNumberSchema.optional(),
  purpose: purposeSchema.optional(),
  graphBaseUrl: graphBaseUrlSchema.optional(),
  greetingMessage: messageText.nullable().optional(),
  awayMessage: messageText.nullable().optional(),
  autoReplyMessage: messageText.nullable().optional(),
  businessHours: businessHoursSchema.nullable().optional(),
  /** The team new conversations of the number go to (round robin when it auto-assigns); null: none. */
  defaultTeamId: z.uuid({ error: 'Must be a team id' }).nullable().optional(),
  throughputMps: throughputMpsSchema.optional(),
  sendReadReceipts: z.boolean().optional(),
  accessToken: secret(4096).optional(),
  appSecret: secret(256).optional(),
  verifyToken: secret(256).optional(),
});
export type UpdateNumberRequest = z.infer<typeof updateNumberRequestSchema>;

export const whatsappNumberStatuses = ['active', 'needs_attention'] as const;

export const whatsappNumberViewSchema = z
  .object({
    id: z.uuid(),
    phoneNumberId: z.string(),
    wabaId: z.string(),
    displayPhoneNumber: z.string(),
    purpose: z.string(),
    graphBaseUrl: z.string(),
    greetingMessage: z.string().nullable(),
    awayMessage: z.string().nullable(),
    autoReplyMessage: z.string().nullable(),
    businessHours: businessHoursSchema.nullable(),
    defaultTeamId: z.uuid().nullable(),
    status: z.enum(whatsappNumberStatuses),
    /** Why the number needs attention (for example, Meta rejected its access token). */
    statusReason: z.string().nullable(),
    throughputMps: z.number().int(),
    sendReadReceipts: z.boolean(),
    /** Where to point the app's webhook in Meta's dashboard. */
    webhookUrl: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'WhatsappNumber' });
export type WhatsappNumberView = z.infer<typeof whatsappNumberViewSchema>;
