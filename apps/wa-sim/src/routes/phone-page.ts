import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { SimCore } from '../sim-core.ts';

// The phone page: one self-contained HTML file (no build step) that lets a person chat as a customer.
// It only talks to the control API.

const html = readFileSync(new URL('./phone-page.html', import.meta.url), 'utf8');

export function registerPhonePage(app: FastifyInstance, _core: SimCore): void {
  const send = (_request: unknown, reply: { type(t: string): { send(b: string): unknown } }) => {
    reply.type('text/html; charset=utf-8').send(html);
  };
  app.get('/', send);
  app.get('/_sim/phone', send);
}
