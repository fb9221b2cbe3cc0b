// One error model. Services throw AppError with a code from a closed union; the HTTP layer maps
// each code to a status and an RFC 9457 problem through one exhaustive table.

export type ErrorCode =
  | 'validation_failed'
  | 'malformed_request'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'two_factor_required'
  | 'invalid_two_factor_code'
  | 'csrf_token_invalid'
  | 'forbidden'
  | 'organization_suspended'
  | 'not_found'
  | 'conflict'
  | 'unprocessable_content'
  | 'email_taken'
  | 'token_invalid'
  | 'plan_limit_reached'
  | 'whatsapp_window_closed'
  | 'contact_opted_out'
  | 'rate_limited'
  | 'not_ready'
  | 'internal';

export interface FieldIssue {
  /** JSON-pointer-like dotted path, e.g. `body.email` or `query.limit`. */
  path: string;
  message: string;
}

export interface AppErrorOptions {
  errors?: FieldIssue[];
  /** Seconds; sent as the Retry-After header for `rate_limited`. */
  retryAfterSeconds?: number;
  /** Extra problem members (RFC 9457 extensions). Must never contain secrets. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly errors: FieldIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    options: AppErrorOptions = {},
  ) {
    super(detail ?? problemTable[code].title, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'AppError';
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extensions = options.extensions;
  }
}

/** Status and title for every code. `satisfies` makes a missing or extra code a compile error. */
export const problemTable = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_request: { status: 400, title: 'The request body could not be read' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'Invalid email or password' },
  two_factor_required: { status: 401, title: 'A two-factor code is required' },
  invalid_two_factor_code: { status: 401, title: 'The two-factor code is not valid' },
  csrf_token_invalid: { status: 403, title: 'Missing or invalid CSRF token' },
  forbidden: { status: 403, title: 'You do not have permission to do this' },
  organization_suspended: { status: 403, title: 'This organization is suspended' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  unprocessable_content: { status: 422, title: 'The request is well-formed but cannot be applied' },
  email_taken: { status: 409, title: 'This email address is already in use' },
  token_invalid: { status: 410, title: 'This link is invalid, expired or already used' },
  plan_limit_reached: { status: 403, title: 'Your plan limit has been reached' },
  whatsapp_window_closed: { status: 409, title: "WhatsApp's 24-hour customer service window is closed" },
  contact_opted_out: { status: 409, title: 'The client has opted out of marketing messages' },
  rate_limited: { status: 429, title: 'Too many requests' },
  not_ready: { status: 503, title: 'The service is not ready' },
  internal: { status: 500, title: 'Internal server error' },
} as const satisfies Record<ErrorCode, { status: number; title: string }>;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

export function problemType(code: ErrorCode): string {
  return `https://switchboard.dev/problems/${code.replaceAll('_', '-')}`;
}

/** Builds the problem body for an AppError. Unknown errors never reach this: see toAppError. */
export function toProblem(err: AppError, requestId?: string): Problem {
  const { status, title } = problemTable[err.code];
  return {
    ...err.extensions,
    type: problemType(err.code),
    title,
    status,
    detail: err.message,
    code: err.code,
    ...(requestId === undefined ? {} : { requestId }),
    ...(err.errors === undefined ? {} : { errors: err.errors }),
  };
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Returns the value, or throws `not_found` with the given detail. */
export function orNotFound<T>(value: T | undefined, detail: string): T {
  if (value === undefined) throw new AppError('not_found', detail);
  return value;
}
