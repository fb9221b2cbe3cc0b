import { z } from 'zod';

// The config file format and the library options share one schema, so the CLI and `startSimulator`
// cannot drift apart. Defaults are "compressed for tests": everything happens within milliseconds.

const digits = z.string().regex(/^\d{5,20}$/, 'expected digits only');

export const TIERS = ['TIER_50', 'TIER_250', 'TIER_2K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'] as const;
export type Tier = (typeof TIERS)[number];
export const TIER_LIMITS: Readonly<Record<Tier, number>> = {
  TIER_50: 50,
  TIER_250: 250,
  TIER_2K: 2000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: Infinity,
};

/** Per-number throughput range: Meta's default is 80 mps, its automatic upgrade 1,000 mps. */
export const MIN_MPS = 1;
export const MAX_MPS = 1000;

const templateComponentSchema = z.looseObject({
  type: z.string(),
  format: z.string().optional(),
  text: z.string().optional(),
  buttons: z
    .array(z.looseObject({ type: z.string(), text: z.string().optional(), url: z.string().optional() }))
    .optional(),
});

export const templateInputSchema = z.object({
  id: z.string().optional(),
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and _ only'),
  language: z.string().min(2),
  category: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION'])),
  status: z.string().default('APPROVED'),
  parameter_format: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(['POSITIONAL', 'NAMED']))
    .optional(),
  components: z.array(templateComponentSchema).default([]),
});
export type TemplateInput = z.output<typeof templateInputSchema>;

const phoneNumberSchema = z.object({
  id: digits,
  displayPhoneNumber: digits,
  verifiedName: z.string().default('Switchboard Demo'),
  qualityRating: z.enum(['GREEN', 'YELLOW', 'RED', 'UNKNOWN']).default('GREEN'),
  throughputMps: z.number().int().min(MIN_MPS).max(MAX_MPS).default(80),
  registered: z.boolean().default(true),
});

const businessSchema = z.object({
  wabaId: digits,
  name: z.string().default('Switchboard Demo'),
  accessToken: z.string().min(8),
  messagingLimitTier: z.enum(TIERS).default('TIER_250'),
  phoneNumbers: z.array(phoneNumberSchema).min(1),
  templates: z.array(templateInputSchema).default([]),
});

export const customerSchema = z.object({
  waId: digits,
  name: z.string().optional(),
  username: z.string().optional(),
  onWhatsApp: z.boolean().default(true),
  marketingOptOut: z.boolean().default(false),
  /** In Meta's marketing-message experiment: marketing templates fail with 130472. */
  marketingExperiment: z.boolean().default(false),
});

export const faultsSchema = z.object({
  /** Probability that a delivered webhook POST is delivered a second time. */
  duplicateRate: z.number().min(0).max(1).default(0),
  /** Probability that a status update is held back and delivered after a later one. */
  outOfOrderRate: z.number().min(0).max(1).default(0),
  /** Probability that an attempt is dropped as if the network failed (it is then retried). */
  failRate: z.number().min(0).max(1).default(0),
  /** Extra delay before each delivery attempt. */
  slowMs: z.number().int().min(0).default(0),
  /**
   * Probability that a message send (not a read mark) is refused before it is accepted, in turn
   * with 130429 (throughput), 131000 (HTTP 500) and 131016 (HTTP 503, service unavailable): the
   * transient failures a sender must retry.
   */
  sendErrorRate: z.number().min(0).max(1).default(0),
  /** Seed for the fault sequence; defaults to the simulator seed. */
  seed: z.number().int().optional(),
});
export type Faults = z.output<typeof faultsSchema>;

export const webhookSchema = z.object({
  url: z.url().optional(),
  appSecret: z.string().default('wa-sim-app-secret'),
  verifyToken: z.string().default('wa-sim-verify-token'),
  /** Skip the GET handshake and deliver straight away. */
  skipVerification: z.boolean().default(false),
  /** Max updates (messages/statuses) per POST; Meta allows up to 1000. */
  batchSize: z.number().int().min(1).max(1000).default(1),
  /** How long updates wait to be batched together. */
  batchWindowMs: z.number().int().min(0).default(0),
  concurrency: z.number().int().min(1).max(256).default(16),
  /** Backoff schedule between attempts; the last value repeats until `maxAgeMs`. */
  retryDelaysMs: z.array(z.number().int().min(0)).min(1).default([10, 50, 200, 1000, 5000, 30_000]),
  /** Give up on a delivery this long after its first attempt (Meta: 36 h to 7 days). */
  maxAgeMs: z
    .number()
    .int()
    .min(0)
    .default(10 * 60_000),
  timeoutMs: z.number().int().min(1).default(5000),
});

export const statusDelaysSchema = z.object({
  sentMs: z.number().int().min(0).default(20),
  deliveredMs: z.number().int().min(0).default(60),
  /** null: customers only read when told to (control API or phone page). */
  readMs: z.number().int().min(0).nullable().default(150),
});

export const simConfigSchema = z.object({
  seed: z.number().int().optional(),
  clock: z
    .object({ mode: z.enum(['real', 'manual']).default('real'), start: z.iso.datetime().optional() })
    .default({ mode: 'real' }),
  businesses: z.array(businessSchema).default([]),
  customers: z.array(customerSchema).default([]),
  /** WhatsApp groups (Groups API) the businesses can send to with `recipient_type: "group"`. */
  groups: z.array(z.object({ id: z.string().min(1), participants: z.array(digits).min(1) })).default([]),
  webhook: webhookSchema.default(webhookSchema.parse({})),
  statusDelays: statusDelaysSchema.default(statusDelaysSchema.parse({})),
  /** `CBP` reproduces pre-July-2025 payloads (conversation + pricing on every status). */
  pricingModel: z.enum(['PMP', 'CBP']).default('PMP'),
  pairRate: z
    .object({ burst: z.number().int().min(1).default(45), intervalMs: z.number().int().min(1).default(6000) })
    .default({ burst: 45, intervalMs: 6000 }),
  /** Meta counts inbound and outbound traffic against a number's throughput. */
  throughputCountsInbound: z.boolean().default(true),
  templateReview: z
    .object({
      delayMs: z.number().int().min(0).default(200),
      /** Templates whose name matches are rejected (INVALID_FORMAT is also applied to `{{1}}{{2}}`). */
      rejectNamePattern: z.string().default('^reject'),
    })
    .default({ delayMs: 200, rejectNamePattern: '^reject' }),
  faults: faultsSchema.default(faultsSchema.parse({})),
  /** Add business-scoped user ids (`user_id`, `parent_user_id`) to contacts, as 2026 payloads do. */
  bsuid: z.boolean().default(true),
  /** Add the lookaside `url` to inbound media objects (rolled out since Nov 2025). */
  inboundMediaUrl: z.boolean().default(false),
  /** Graph version used in links and reported by the phone page. */
  graphVersion: z.string().default('v24.0'),
});

export type SimConfigInput = z.input<typeof simConfigSchema>;
export type SimConfig = z.output<typeof simConfigSchema>;
export type BusinessConfig = z.output<typeof businessSchema>;
export type PhoneNumberConfig = z.output<typeof phoneNumberSchema>;
export type CustomerConfig = z.output<typeof customerSchema>;
