// GET /api/v1/realtime upgrades to the WebSocket (@fastify/websocket, registered by server.ts). Authentication is the API's own (session cookie,
// or `Authorization: Bearer` API key), run before the upgrade: a caller without it gets a 401
// problem, never a socket.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Authenticator } from '../auth/principal.ts';
import { SESSION_COOKIE, tenantPrincipal } from '../http/authenticate.ts';
import { problemResponses } from '../http/route-helpers.ts';
import { withZod } from '../http/server.ts';
import type { RealtimeGateway } from './realtime.gateway.ts';

const description = `Upgrades to a WebSocket that streams the organization's events as JSON frames
\`{ seq, type, conversationId, data, occurredAt }\`. Types: \`message.created\`, \`message.updated\`,
\`conversation.created\`, \`conversation.updated\`, \`conversation.assigned\`, \`note.created\` (a
private note; \`data\` is the message, direction \`note\`), \`notification.created\` (sent only to the
notified user's own sockets) and \`typing\` (ephemeral: \`seq\` is null, \`data\` is
\`{ userId, isTyping }\`). Keep the last \`seq\` and reconnect with \`?cursor=<seq>\` to
receive the events missed meanwhile, in order. After the replay the server sends
\`{ "type": "ready", "seq" }\` (the cursor to start from when none was given); when too many were missed the server sends
\`{ "type": "resync", "seq" }\`: reload, then continue from that seq.

While composing, send \`{ "type": "typing", "conversationId", "isTyping": true }\` every few seconds, and
\`"isTyping": false\` when you stop or send; show a colleague as typing until their \`false\` or 6 s
without news. The conversation must be one of your organization's. Typing goes to the organization's
other users who may see the conversation, never back to you. A frame the server cannot act on is
answered with \`{ "type": "error", "seq": null, "code", "message", "errors"? }\` (\`code\`:
\`invalid_frame\`, \`not_found\`, \`rate_limited\` or \`internal\`); the socket stays open.

Browsers authenticate with the session
cookie (same origin); other clients with \`Authorization: Bearer <api key>\`. Requires
\`conversations.read\`. Close codes: 1001 server shutting down, 4001 session or key revoked,
4008 too slow (reconnect with the cursor).`;

/** Re-checks the credential the socket was opened with (revocations close it). */
function revalidator(request: FastifyRequest, auth: Authenticator): () => Promise<boolean> {
  const key = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const token = request.cookies[SESSION_COOKIE];
  const check = key
    ? () => auth.apiKey(key)
    : async () => (token === undefined ? undefined : auth.userSession(token));
  return async () => {
    try {
      return (await check()) !== undefined;
    } catch (err) {
      // A suspended organization is an AppError; a database hiccup is not a revocation.
      return !(err instanceof AppError);
    }
  };
}

/**
 * Cookies ride along on cross-site WebSocket handshakes (no CORS, no CSRF header possible), so a
 * cookie-authenticated upgrade must come from our own origin. Clients with API keys send none.
 */
function checkOrigin(request: FastifyRequest, publicUrl: string): void {
  const origin = request.headers.origin;
  if (origin === undefined || request.principal?.kind !== 'user') return;
  const allowed = [new URL(publicUrl).origin, `${request.protocol}://${request.host}`];
  if (!allowed.includes(origin)) throw new AppError('forbidden', 'WebSocket from a foreign origin.');
}

export function registerRealtimeRoutes(
  http: FastifyInstance,
  deps: { gateway: RealtimeGateway; authenticator: Authenticator; publicUrl: string },
): void {
  const { gateway, authenticator, publicUrl } = deps;
  withZod(http).route({
    method: 'GET',
    url: '/api/v1/realtime',
    config: { access: 'tenant', permission: 'conversations.read' },
    schema: {
      tags: ['realtime'],
      summary: 'Realtime events over a WebSocket',
      description,
      querystring: z.object({
        cursor: z.coerce.number().int().nonnegative().optional().describe('The last seq received'),
      }),
      response: { ...problemResponses },
    },
    preValidation: (request, _reply, done) => {
      try {
        checkOrigin(request, publicUrl);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    handler: () => {
      throw new AppError('malformed_request', 'Connect with a WebSocket upgrade.');
    },
    wsHandler: (socket, request) => {
      gateway.accept(socket, tenantPrincipal(request), {
        cursor: request.query.cursor,
        stillValid: revalidator(request, authenticator),
      });
    },
  });
}
