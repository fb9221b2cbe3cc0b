// The HTTP platform: Fastify with zod schemas (validation + OpenAPI 3.1), one problem+json
// error path, request ids, security headers, metrics and authentication. Modules add routes.
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { AppError } from '../errors.ts';
import { loggerOptions, runInRequestScope } from '../logger.ts';
import type { Authenticator } from '../auth/principal.ts';
import { registerAuthentication } from './authenticate.ts';
import { sendProblem, toAppError } from './problem-handler.ts';

/** The app as modules see it: routes typed by their zod schemas. */
export type ZodApp = ReturnType<typeof withZod>;

export function withZod(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function createHttpServer(
  config: Pick<Config, 'logLevel' | 'bodyLimitBytes' | 'trustProxy'>,
  auth: Authenticator,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    // A caller's id is kept only when it is harmless; otherwise we make our own.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // First hook: the rest of the request (later hooks, body, handler, services) runs in its scope,
  // so lines that services write through the shared logger carry the request id (logger.ts).
  app.addHook('onRequest', (request, _reply, done) => runInRequestScope(request.id, done));
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.setErrorHandler((error, request, reply) => sendProblem(toAppError(error), request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      new AppError('not_found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}.`),
      request,
      reply,
    ),
  );

  await app.register(helmet, { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard API',
        version: '1',
        description:
          'Multi-tenant customer-support CRM and helpdesk. Errors are RFC 9457 application/problem+json. ' +
          'Cookie-authenticated writes need the X-CSRF-Token header; API keys use Authorization: Bearer.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { deepLinking: true },
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());

  // Before authentication: the plugin's request hook marks upgrades, so that an upgrade refused by
  // authentication (401) still has its socket closed after the answer.
  await app.register(websocket, {
    options: { maxPayload: 4096 },
    // Shutdown tells clients to reconnect elsewhere (1001) rather than closing without a code.
    preClose(done) {
      for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down');
      app.server.removeAllListeners('upgrade');
      app.websocketServer.close(() => undefined);
      done();
    },
  });
  registerAuthentication(app, auth);
  return app;
}
