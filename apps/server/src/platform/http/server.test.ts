import { describe, expect, it } from 'vitest';
import { AppError, problemTable, type ErrorCode } from '../errors.ts';
import { createHttpServer } from './server.ts';

const noAuth = {
  userSession: () => Promise.resolve(undefined),
  apiKey: () => Promise.resolve(undefined),
  operatorSession: () => Promise.resolve(undefined),
  csrfTokenFor: () => 'x',
};

async function server() {
  const app = await createHttpServer({ logLevel: 'silent', bodyLimitBytes: 1024, trustProxy: false }, noAuth);
  app.get('/api/v1/explode', { config: { access: 'public' } }, () => {
    throw new Error('secret internal detail');
  });
  app.get('/api/v1/limited', { config: { access: 'public' } }, () => {
    throw new AppError('rate_limited', 'Slow down.', { retryAfterSeconds: 12.2 });
  });
  app.get('/api/v1/private', () => 'should not be reachable');
  return app;
}

describe('problem responses', () => {
  it('turns an unexpected error into an opaque 500 carrying the request id', async () => {
    const app = await server();
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/explode',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json<{ code: string; detail: string; requestId: string }>();
    expect(body).toMatchObject({ code: 'internal', requestId: 'trace-123', status: 500 });
    expect(body.detail).toContain('trace-123');
    expect(res.body).not.toContain('secret internal detail');
    await app.close();
  });

  it('replaces an unsafe caller request id with its own', async () => {
    const app = await server();
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/explode',
      headers: { 'x-request-id': 'bad id <script>' },
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await app.close();
  });

  it('sends Retry-After for rate limits, rounded up to whole seconds', async () => {
    const app = await server();
    const res = await app.inject({ method: 'GET', url: '/api/v1/limited' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('13');
    await app.close();
  });

  it('keeps API routes private unless they declare otherwise', async () => {
    const app = await server();
    const res = await app.inject({ method: 'GET', url: '/api/v1/private' });
    expect(res.statusCode).toBe(401);
    await app.close();
  });

  it('maps every error code to an HTTP error status and a title', () => {
    for (const [code, { status, title }] of Object.entries(problemTable) as [
      ErrorCode,
      { status: number; title: string },
    ][]) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(title.length, code).toBeGreaterThan(3);
    }
  });
});
