// Calls to the Graph API with a number's token, and what a failure means. Shared by every Graph
// client (media, sending, templates): the error body's code decides retry, give up or token
// trouble, and a network failure says whether the request can have reached Meta.
import type { WhatsappNumberRow } from './numbers.repo.ts';

export const GRAPH_VERSION = 'v24.0';

/** Graph answered with an error (`{"error":{"code",...}}`), or with a status that is not 2xx. */
export class GraphApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number | undefined,
    readonly title: string,
    readonly details: string | undefined,
    readonly subcode: number | undefined,
  ) {
    super(`Graph error ${code ?? `HTTP ${httpStatus}`}: ${title}${details ? ` (${details})` : ''}`);
    this.name = 'GraphApiError';
  }

  /** 190: the access token is expired or revoked; the number needs new credentials. */
  get tokenRejected(): boolean {
    return this.code === 190;
  }
}

/**
 * No answer from Graph. `maybeDelivered` is false only when the request cannot have left (the
 * connection was refused or the host not found); a timeout or a dropped connection may follow a
 * request that Meta received and acted on.
 */
export class GraphNetworkError extends Error {
  constructor(
    message: string,
    readonly maybeDelivered: boolean,
  ) {
    super(message);
    this.name = 'GraphNetworkError';
  }
}

const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
]);

/** A fetch rejection as a GraphNetworkError (AbortSignal timeouts included). */
export function networkErrorOf(err: unknown, what: string): GraphNetworkError {
  if (err instanceof GraphNetworkError) return err;
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  const code = cause?.code;
  const reason =
    err instanceof Error
      ? err.name === 'TimeoutError'
        ? 'timed out'
        : `${err.message}${code ? ` (${code})` : ''}`
      : String(err);
  return new GraphNetworkError(`${what} failed: ${reason}`, !(code && NOT_SENT.has(code)));
}

interface GraphErrorBody {
  error?: { message?: string; code?: number; error_subcode?: number; error_data?: { details?: string } };
}

/** The GraphApiError of a non-2xx response (its body read as Graph's error object when it is one). */
export async function graphErrorOf(res: Response): Promise<GraphApiError> {
  let body: GraphErrorBody = {};
  try {
    body = (await res.json()) as GraphErrorBody;
  } catch {
    // not JSON: the status decides
  }
  const e = body.error ?? {};
  return new GraphApiError(
    res.status,
    typeof e.code === 'number' ? e.code : undefined,
    e.message ?? `HTTP ${res.status}`,
    e.error_data?.details,
    typeof e.error_subcode === 'number' ? e.error_subcode : undefined,
  );
}

export interface GraphCaller {
  /**
   * One JSON call to `{graphBaseUrl}/{version}/{path}` with the number's bearer token. Resolves
   * with the parsed body of a 2xx; rejects with GraphApiError or GraphNetworkError.
   */
  call<T = unknown>(
    number: WhatsappNumberRow,
    path: string,
    init?: { method?: string; body?: unknown; form?: FormData; timeoutMs?: number },
  ): Promise<T>;
}

export function createGraphCaller(deps: {
  /** The number's access token in clear (numbers.decryptCredentials). */
  accessTokenOf: (number: WhatsappNumberRow) => string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): GraphCaller {
  const doFetch = deps.fetch ?? fetch;
  return {
    async call<T>(
      number: WhatsappNumberRow,
      path: string,
      init: { method?: string; body?: unknown; form?: FormData; timeoutMs?: number } = {},
    ): Promise<T> {
      const url = `${number.graphBaseUrl.replace(/\/+$/, '')}/${GRAPH_VERSION}/${path.replace(/^\/+/, '')}`;
      const headers: Record<string, string> = { authorization: `Bearer ${deps.accessTokenOf(number)}` };
      let body: string | FormData | undefined;
      if (init.form) body = init.form;
      else if (init.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.body);
      }
      let res: Response;
      try {
        res = await doFetch(url, {
          method: init.method ?? (body === undefined ? 'GET' : 'POST'),
          headers,
          ...(body === undefined ? {} : { body }),
          signal: AbortSignal.timeout(init.timeoutMs ?? deps.timeoutMs ?? 30_000),
        });
      } catch (err) {
        throw networkErrorOf(err, `${init.method ?? 'Graph'} ${path}`);
      }
      if (!res.ok) throw await graphErrorOf(res);
      try {
        return (await res.json()) as T;
      } catch (err) {
        // A 2xx whose body was cut: Meta acted on it, we cannot tell how.
        throw new GraphNetworkError(`${path}: the answer could not be read (${String(err)})`, true);
      }
    },
  };
}
