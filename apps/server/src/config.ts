// The only reader of process.env. The environment is parsed once, at start, into a typed,
// frozen Config; a bad environment lists every problem and the process exits before listening.
import { join } from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

/** What a process does (ADR 0007): serve HTTP and WebSocket, work jobs and queues, keep time. */
export const ROLES = ['api', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLES)[number];

/** `all`, or a comma-separated list of roles (`worker,scheduler`). */
const roleList = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const names = v.split(',').map((n) => n.trim());
    if (names.length === 1 && names[0] === 'all') return [...ROLES];
    const unknown = names.filter((n) => !(ROLES as readonly string[]).includes(n));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must be all, or a comma-separated list of ${ROLES.join(', ')} (got "${unknown.join('", "')}")`,
      });
      return z.NEVER;
    }
    return ROLES.filter((r) => names.includes(r));
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
    SWITCHBOARD_ROLE: roleList.default(['api', 'worker', 'scheduler']),
    SWITCHBOARD_DATA_DIR: z.string().min(1).default('./data'),
    BLOB_DIR: z.string().min(1).optional(),
    SECRET_KEY: z
      .string()
      .min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)')
      .optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Switchboard <no-reply@switchboard.local>'),
    TRUST_PROXY: bool,
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
  })
  // Checks across variables run even when single variables failed, so that one run lists every
  // problem: the fields they read are the raw input where parsing failed.
  .superRefine(
    (e, ctx) => {
      if (e.DATABASE_URL && e.SECRET_KEY === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['SECRET_KEY'],
          message: 'required when DATABASE_URL is set (instances must share one key)',
        });
      }
      // Split roles mean several processes on one database: the embedded engine is one process's.
      if (!e.DATABASE_URL && Array.isArray(e.SWITCHBOARD_ROLE) && e.SWITCHBOARD_ROLE.length < ROLES.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['SWITCHBOARD_ROLE'],
          message: `the ${e.SWITCHBOARD_ROLE.join(',')} role needs PostgreSQL (set DATABASE_URL); the embedded database runs only the role all`,
        });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** Base URL used in links sent by email (invitations, password resets). */
  readonly publicUrl: string;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** What this process does (SWITCHBOARD_ROLE / `--role`; every role by default). */
  readonly roles: Readonly<Record<Role, boolean>>;
  readonly database:
    | { readonly kind: 'pglite'; readonly dataDir: string }
    | {
        readonly kind: 'postgres';
        readonly url: string;
        readonly poolMax: number;
        readonly statementTimeoutMs: number;
      };
  readonly dataDir: string;
  /** Where downloaded media is kept (default `<dataDir>/blobs`). */
  readonly blobDir: string;
  /** Undefined on the embedded engine: a key file in the data directory is used instead. */
  readonly secretKey: string | undefined;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly trustProxy: boolean;
  readonly bodyLimitBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment into Config, or throws ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    roles: Object.freeze({
      api: e.SWITCHBOARD_ROLE.includes('api'),
      worker: e.SWITCHBOARD_ROLE.includes('worker'),
      scheduler: e.SWITCHBOARD_ROLE.includes('scheduler'),
    }),
    database: e.DATABASE_URL
      ? {
          kind: 'postgres' as const,
          url: e.DATABASE_URL,
          poolMax: e.DB_POOL_MAX,
          statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
        }
      : { kind: 'pglite' as const, dataDir: e.SWITCHBOARD_DATA_DIR },
    dataDir: e.SWITCHBOARD_DATA_DIR,
    blobDir: e.BLOB_DIR ?? join(e.SWITCHBOARD_DATA_DIR, 'blobs'),
    secretKey: e.SECRET_KEY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    trustProxy: e.TRUST_PROXY ?? false,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
  });
}

type Env = Record<string, string | undefined>;

/**
 * Reads the process environment. `defaults` apply where the environment is silent (a command's
 * quieter log level); `overrides` win over it (command-line flags).
 */
export function loadConfig(overrides: Env = {}, defaults: Env = {}): Config {
  return parseConfig({ ...defaults, ...process.env, ...overrides });
}

/** `all`, or the roles joined by commas (as SWITCHBOARD_ROLE spells them). */
export function roleName(roles: Config['roles']): string {
  const on = ROLES.filter((r) => roles[r]);
  return on.length === ROLES.length ? 'all' : on.join(',');
}
