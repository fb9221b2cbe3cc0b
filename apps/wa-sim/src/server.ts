import Fastify, { type FastifyInstance } from 'fastify';
import { GraphError } from './graph-error.ts';
import type { LoadRunner } from './load-mode.ts';
import { ControlError, registerControlRoutes } from './routes/control-routes.ts';
import { registerGraphRoutes } from './routes/graph-routes.ts';
import { registerDownloadRoute } from './routes/media-routes.ts';
import { registerPhonePage } from './routes/phone-page.ts';
import type { SimCore } from './sim-core.ts';

// Builds the Fastify app: Graph API, media download, control API and the phone page, with one error
// handler that renders Graph errors in Meta's envelope.

export function buildServer(core: SimCore, load: LoadRunner): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024, keepAliveTimeout: 30_000 });

  app.setErrorHandler((err, request, reply) => {
    const fbtrace = `A${core.ids.hex(22)}`;
    if (err instanceof GraphError) return reply.code(err.http).send(err.toBody(fbtrace));
    if (err instanceof ControlError) return reply.code(400).send({ error: err.message });
    const status =
      typeof err === 'object' && err !== null && 'statusCode' in err ? Number(err.statusCode) : 500;
    const message = err instanceof Error ? err.message : String(err);
    if (request.url.startsWith('/_sim/')) return reply.code(status).send({ error: message });
    // Malformed JSON and the like on the Graph surface: Meta answers with an OAuthException code 100.
    const graphErr = new GraphError(100, message, { message: 'Invalid parameter' });
    return reply.code(status >= 500 ? 500 : 400).send(graphErr.toBody(fbtrace));
  });

  app.setNotFoundHandler((request, reply) => {
    const err = new GraphError(100, `Unknown path components: ${request.url}`, {
      message: 'Unknown path components',
    });
    return reply.code(400).send(err.toBody(`A${core.ids.hex(22)}`));
  });

  registerPhonePage(app, core);
  registerControlRoutes(app, core, load);
  registerDownloadRoute(app, core);
  registerGraphRoutes(app, core);
  return app;
}
