// The Graph caller against a real loopback server: what each answer, and each way of not
// answering, becomes (a Graph error with its code, or a network error that says whether the
// request can have reached Meta).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphCaller, GraphApiError, GraphNetworkError } from './graph-http.ts';
import type { WhatsappNumberRow } from './numbers.repo.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

describe('Graph caller', () => {
  let server: http.Server;
  let base: string;
  let handler: Handler = (_req, res) => res.end('{}');
  const caller = createGraphCaller({ accessTokenOf: () => 'token-1', timeoutMs: 300 });
  const numberAt = (url: string) => ({ graphBaseUrl: url }) as WhatsappNumberRow;
  const call = (init?: Parameters<typeof caller.call>[2], url = base) =>
    caller.call(numberAt(url), '/123/messages', init);
  const failureOf = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error('expected a failure');
      },
      (err: unknown) => err,
    );

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => handler(req, res, body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('posts JSON with the bearer token to the versioned path and parses the answer', async () => {
    let seen: Record<string, string | undefined> = {};
    handler = (req, res, body) => {
      seen = {
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        body,
      };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ messages: [{ id: 'wamid.1' }] }));
    };
    expect(await call({ body: { to: '5511' } })).toEqual({ messages: [{ id: 'wamid.1' }] });
    expect(seen).toEqual({
      method: 'POST',
      url: '/v24.0/123/messages',
      auth: 'Bearer token-1',
      type: 'application/json',
      body: '{"to":"5511"}',
    });
  });

  it('turns an error body into a GraphApiError with its code, subcode and details', async () => {
    handler = (_req, res) => {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          error: {
            message: 'Re-engagement message',
            code: 131047,
            error_subcode: 7,
            error_data: { details: 'd' },
          },
        }),
      );
    };
    const err = await failureOf(call({ body: {} }));
    expect(err).toBeInstanceOf(GraphApiError);
    expect(err).toMatchObject({
      httpStatus: 400,
      code: 131047,
      subcode: 7,
      title: 'Re-engagement message',
      details: 'd',
    });
  });

  it('a non-JSON error answer is judged by its status', async () => {
    handler = (_req, res) => {
      res.statusCode = 502;
      res.end('<html>bad gateway</html>');
    };
    expect(await failureOf(call({ body: {} }))).toMatchObject({
      httpStatus: 502,
      code: undefined,
      title: 'HTTP 502',
    });
  });

  it('a 2xx that cannot be read may have been acted on', async () => {
    handler = (_req, res) => res.end('not json');
    const err = await failureOf(call({ body: {} }));
    expect(err).toBeInstanceOf(GraphNetworkError);
    expect(err).toMatchObject({ maybeDelivered: true });

    handler = (_req, res) => {
      res.setHeader('content-length', '100');
      res.write('{"messages":');
      setTimeout(() => res.destroy(), 20);
    };
    expect(await failureOf(call({ body: {} }))).toMatchObject({ maybeDelivered: true });
  });

  it('silence past the timeout may have been delivered; a refused connection was not', async () => {
    handler = () => undefined; // never answers
    const slow = await failureOf(call({ body: {} }));
    expect(slow).toBeInstanceOf(GraphNetworkError);
    expect(slow).toMatchObject({ maybeDelivered: true, message: expect.stringContaining('timed out') });

    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await failureOf(call({ body: {} }, `http://127.0.0.1:${port}`));
    expect(refused).toBeInstanceOf(GraphNetworkError);
    expect(refused).toMatchObject({
      maybeDelivered: false,
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('uploads a form through fetch with the same error model', async () => {
    let type = '';
    handler = (req, res) => {
      type = req.headers['content-type'] ?? '';
      res.end(JSON.stringify({ id: 'media-1' }));
    };
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    expect(await call({ form })).toEqual({ id: 'media-1' });
    expect(type).toMatch(/^multipart\/form-data; boundary=/);

    handler = (_req, res) => {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: { message: 'bad file', code: 131053 } }));
    };
    expect(await failureOf(call({ form }))).toMatchObject({ code: 131053 });
  });
});
