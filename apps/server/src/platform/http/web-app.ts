import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const webDistDir = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

/**
 * Serves the built agent app (apps/web/dist) with a single-page-app fallback: any GET outside
 * the API that matches no file gets index.html. Without a build, only the API is served.
 */
export async function registerWebApp(app: FastifyInstance, dir = webDistDir): Promise<void> {
  if (!existsSync(`${dir}/index.html`)) return;
  await app.register(fastifyStatic, { root: dir, wildcard: false, index: 'index.html' });
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply.callNotFound();
    }
    return reply.sendFile('index.html');
  });
}
