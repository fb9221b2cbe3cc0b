// RFC 9457 problem details, as every Switchboard API error is returned. Pure functions only, so
// the parsing rules are unit-tested without a browser.

export interface FieldIssue {
  /** Dotted path such as `body.email`. */
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Machine-readable code such as `invalid_credentials`; `network_error` when the server was unreachable. */
  code: string;
  requestId?: string;
  errors?: FieldIssue[];
}

/** Error thrown by the API client for every non-2xx answer and for network failures. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  /** Seconds to wait before retrying, from the Retry-After header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, retryAfterSeconds?: number) {
    super(problem.detail === '' ? problem.title : problem.detail);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** True when `error` is an ApiError with the given code. */
export function hasErrorCode(error: unknown, code: string): error is ApiError {
  return isApiError(error) && error.code === code;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFieldIssues(value: unknown): FieldIssue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const issues = value.flatMap((item: unknown): FieldIssue[] =>
    isRecord(item) && typeof item['path'] === 'string' && typeof item['message'] === 'string'
      ? [{ path: item['path'], message: item['message'] }]
      : [],
  );
  return issues.length > 0 ? issues : undefined;
}

/** Fallback code when the body is not a problem document (a proxy error page, an empty body...). */
export function codeForStatus(status: number): string {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'not_ready';
  if (status >= 500) return 'internal';
  return 'unknown';
}

/**
 * Builds a Problem from an HTTP status and the raw response body. Accepts anything: a body that is
 * not valid JSON, or JSON without a string `code`, falls back to a code derived from the status.
 */
export function parseProblem(status: number, bodyText: string, statusText = ''): Problem {
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const record = isRecord(body) ? body : {};
  const str = (key: string): string | undefined => {
    const value = record[key];
    return typeof value === 'string' ? value : undefined;
  };
  const errors = readFieldIssues(record['errors']);
  const requestId = str('requestId');
  return {
    type: str('type') ?? 'about:blank',
    title: str('title') ?? statusText,
    status,
    detail: str('detail') ?? '',
    code: str('code') ?? codeForStatus(status),
    ...(requestId === undefined ? {} : { requestId }),
    ...(errors === undefined ? {} : { errors }),
  };
}

/**
 * Reads a Retry-After header (RFC 9110: delay-seconds or an HTTP date) as whole seconds from `now`.
 * Returns undefined when the header is absent or unreadable; never returns a negative number.
 */
export function parseRetryAfter(header: string | null, now: Date): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  // An HTTP-date always names the day and month; this also keeps Date.parse('-5') (a year) out.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * Maps a problem's field issues to form field names: `body.email` → `email`,
 * `body.user.firstName` → `user.firstName`. The first message per field wins.
 */
export function readFieldErrors(problem: Problem): Record<string, string> {
  const result: Record<string, string> = {};
  for (const issue of problem.errors ?? []) {
    const field = issue.path.replace(/^(body|query|params)\./, '');
    result[field] ??= issue.message;
  }
  return result;
}
