import { symbols } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardApp } from '../../app.ts';
import { anonymous, createTenant, createTestApp, engine, type TestTenant } from '../../../test/harness.ts';

describe(`HTTP platform (${engine})`, () => {
  let app: SwitchboardApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    app = await createTestApp({ env: { BODY_LIMIT_BYTES: '4096' } });
    tenant = await createTenant(app);
  });
  afterAll(async () => app.close());

  const post = (url: string, payload: string | object, headers: Record<string, string> = {}) =>
    tenant.owner.request({
      method: 'POST',
      url,
      payload,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('answers malformed JSON with a 400 problem whose errors list names the body', async () => {
    const res = await post('/api/v1/invitations', '{"email": "a@b.c", ');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json<{ errors: { path: string; message: string }[]; requestId: string }>();
    expect(body).toMatchObject({
      code: 'malformed_request',
      status: 400,
      type: expect.stringContaining('malformed-request'),
      requestId: res.headers['x-request-id'],
    });
    expect(body.errors).toEqual([{ path: 'body', message: expect.stringMatching(/not valid JSON/) }]);

    const empty = await post('/api/v1/invitations', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({
      code: 'malformed_request',
      errors: [{ path: 'body', message: expect.stringMatching(/cannot be empty/) }],
    });
  });

  it('lists every validation issue with its path: wrong types, bad enums, invalid emails, unknown fields', async () => {
    const res = await post('/api/v1/invitations', { email: 'not-an-email', role: 'superuser', extra: true });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; errors: { path: string; message: string }[]; requestId: string }>();
    expect(body.code).toBe('validation_failed');
    const paths = body.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.role', 'body']));
    expect(body.errors.find((e) => e.path === 'body')?.message).toMatch(/extra/);
    expect(body.requestId).toBe(res.headers['x-request-id']);

    const types = await post('/api/v1/api-keys', { name: 42, scopes: 'users.read' });
    expect(types.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['body.name', 'body.scopes']),
    );
  });

  it('validates query strings and path parameters', async () => {
    const q = await tenant.owner.request({ method: 'GET', url: '/api/v1/audit-log?limit=5000&bogus=1' });
    expect(q.statusCode).toBe(400);
    expect(q.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['query.limit']),
    );
    const p = await tenant.owner.request({ method: 'GET', url: '/api/v1/users/not-a-uuid' });
    expect(p.statusCode).toBe(400);
    expect(p.json()).toMatchObject({ errors: [{ path: 'params.id' }] });
  });

  it('refuses oversized bodies with 413', async () => {
    const res = await post('/api/v1/invitations', {
      email: `${'a'.repeat(5000)}@example.test`,
      role: 'agent',
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large', status: 413 });
  });

  it('refuses other content types with 415', async () => {
    const res = await post('/api/v1/invitations', 'email=a@b.c', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('answers unknown routes and unauthenticated calls with problems', async () => {
    const missing = await anonymous(app).request({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not_found' });
    const anon = await anonymous(app).request({ method: 'GET', url: '/api/v1/users' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ code: 'unauthenticated', title: 'Authentication required' });
  });

  it('serves liveness, readiness and Prometheus metrics', async () => {
    expect((await anonymous(app).request({ method: 'GET', url: '/healthz' })).json()).toEqual({
      status: 'ok',
    });
    const ready = await anonymous(app).request({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
    const metrics = await anonymous(app).request({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('nodejs_eventloop_lag_seconds');
    expect(metrics.body).toContain('job_queue_depth{queue="mail.deliver"}');
  });

  it('reports job queue depths, and database pool connections on PostgreSQL, in /metrics', async () => {
    const body = (await anonymous(app).request({ method: 'GET', url: '/metrics' })).body;
    expect(body).toMatch(/^job_queue_depth\{queue="mail\.deliver"\} \d+$/m);
    expect(body).toContain('# TYPE db_pool_connections gauge');
    const pool: Record<string, number> = {};
    for (const m of body.matchAll(/^db_pool_connections\{state="(\w+)"\} (\d+)$/gm))
      pool[m[1]!] = Number(m[2]);
    if (engine === 'postgres') {
      expect(Object.keys(pool).sort()).toEqual(['idle', 'total', 'waiting']);
      expect(pool['total']).toBeGreaterThanOrEqual(1); // it has served this file's queries
      expect(pool['idle']).toBeLessThanOrEqual(pool['total'] ?? 0);
    } else {
      // PGlite is one in-process connection: there is no pool to report.
      expect(pool).toEqual({});
    }
  });

  it('puts the request id on lines that services write through the shared logger during a request', async () => {
    // Capture what the app logs: every logger (services' and requests') writes to the root's stream.
    const root = app.http.log as unknown as Record<symbol, unknown> & { level: string };
    const stream = symbols.streamSym;
    const original = { stream: root[stream], level: root.level };
    const lines: string[] = [];
    root[stream] = { write: (line: string) => void lines.push(line) };
    root.level = 'info';
    try {
      const res = await anonymous(app).request({
        method: 'POST',
        url: '/webhooks/whatsapp',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-log-test-1' },
        payload: {
          object: 'whatsapp_business_account',
          entry: [
            {
              id: 'waba-nobody',
              changes: [{ field: 'messages', value: { metadata: { phone_number_id: 'pn-nobody' } } }],
            },
          ],
        },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-request-id']).toBe('req-log-test-1');
      app.log.info('written outside any request');
    } finally {
      root[stream] = original.stream;
      root.level = original.level;
    }
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    // The intake service logs an unknown number through the logger it was built with (the app's
    // root logger), not request.log.
    const serviceLine = parsed.find(
      (l) => Array.isArray(l['phoneNumberIds']) && l['phoneNumberIds'].includes('pn-nobody'),
    );
    expect(serviceLine).toMatchObject({ reqId: 'req-log-test-1', level: 40 });
    expect(parsed.find((l) => l['msg'] === 'request completed')).toMatchObject({ reqId: 'req-log-test-1' });
    // Once per line, also on request.log's lines, which Fastify binds to the id itself.
    for (const line of lines.filter((l) => l.includes('req-log-test-1'))) {
      expect(line.match(/"reqId":/g)).toHaveLength(1);
    }
    expect(parsed.find((l) => l['msg'] === 'written outside any request')).not.toHaveProperty('reqId');
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas, and a docs UI', async () => {
    const res = await anonymous(app).request({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/auth/login']?.['post']?.requestBody).toBeDefined();
    expect(JSON.stringify(doc.paths['/api/v1/auth/login'])).toContain('totpCode');
    const ui = await anonymous(app).request({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });
});
