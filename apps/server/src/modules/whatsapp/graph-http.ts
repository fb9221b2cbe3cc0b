// Calls to the Graph API with a number's token, and what a failure means. Shared by every Graph
// client (media, sending, templates): the error body's code decides retry, give up or token
// trouble, and a network failure says whether the request can have reached Meta.
import http from 'node:http';
import https from 'node:https';
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

/** A fetch or node:http rejection as a GraphNetworkError (timeouts included). */
export function networkErrorOf(err: unknown, what: string): GraphNetworkError {
  if (err instanceof GraphNetworkError) return err;
  const own = err as { code?: unknown; cause?: { code?: string } } | undefined;
  const code = typeof own?.code === 'string' ? own.code : own?.cause?.code;
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
  return graphErrorFrom(res.status, await res.text().catch(() => ''));
}

function graphErrorFrom(status: number, text: string): GraphApiError {
  let body: GraphErrorBody = {};
  try {
    body = JSON.parse(text) as GraphErrorBody;
  } catch {
    // not JSON: the status decides
  }
  const e = body.error ?? {};
  return new GraphApiError(
    status,
    typeof e.code === 'number' ? e.code : undefined,
    e.message ?? `HTTP ${status}`,
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

/**
 * Keep-alive connections to Graph. JSON calls (every send) go through node:http rather than fetch,
 * which costs several times the CPU per request (web streams, abort signals) where a busy number
 * sends a thousand messages a second; uploads (multipart) use fetch.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64 }),
};

/**
 * One request with a JSON (or no) body; resolves with the status and the whole answer. Times out
 * when the connection stays silent for `timeoutMs` (Graph's answers are small: all or nothing).
 */
function requestText(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  const transport = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        res.complete
          ? resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })
          : reject(new Error('the connection closed before the answer was complete')),
      );
    });
    req.setTimeout(timeoutMs, () => {
      const err = new Error('timed out');
      err.name = 'TimeoutError';
      req.destroy(err);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function createGraphCaller(deps: {
  /** The number's access token in clear (numbers.decryptCredentials). */
  accessTokenOf: (number: WhatsappNumberRow) => string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): GraphCaller {
  const doFetch = deps.fetch ?? fetch;

  async function viaFetch<T>(
    url: string,
    path: string,
    headers: Record<string, string>,
    form: FormData,
    init: { method?: string; timeoutMs?: number },
  ): Promise<T> {
    let res: Response;
    try {
      res = await doFetch(url, {
        method: init.method ?? 'POST',
        headers,
        body: form,
        signal: AbortSignal.timeout(init.timeoutMs ?? deps.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw networkErrorOf(err, `${init.method ?? 'Graph'} ${path}`);
    }
    if (!res.ok) throw await graphErrorOf(res);
    return parsed(await res.text().catch((err: unknown) => cut(path, err)), path) as T;
  }

  return {
    async call<T>(
      number: WhatsappNumberRow,
      path: string,
      init: { method?: string; body?: unknown; form?: FormData; timeoutMs?: number } = {},
    ): Promise<T> {
      const url = `${number.graphBaseUrl.replace(/\/+$/, '')}/${GRAPH_VERSION}/${path.replace(/^\/+/, '')}`;
      const headers: Record<string, string> = { authorization: `Bearer ${deps.accessTokenOf(number)}` };
      if (init.form) return viaFetch<T>(url, path, headers, init.form, init);
      let body: string | undefined;
      if (init.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.body);
      }
      const method = init.method ?? (body === undefined ? 'GET' : 'POST');
      let res: { status: number; text: string };
      try {
        res = await requestText(
          new URL(url),
          method,
          headers,
          body,
          init.timeoutMs ?? deps.timeoutMs ?? 30_000,
        );
      } catch (err) {
        throw networkErrorOf(err, `${init.method ?? 'Graph'} ${path}`);
      }
      if (res.status < 200 || res.status > 299) throw graphErrorFrom(res.status, res.text);
      return parsed(res.text, path) as T;
    },
  };
}

/** A 2xx whose body was cut or is not JSON: Meta acted on it, we cannot tell how. */
function cut(path: string, err: unknown): never {
  throw new GraphNetworkError(`${path}: the answer could not be read (${String(err)})`, true);
}

function parsed(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return cut(path, err);
  }
}
