import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { withZod } from '../../platform/http/server.ts';
import type { IntakeService } from './intake.service.ts';

/** Meta's maximum webhook payload. */
const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;

export async function registerWebhookRoutes(
  app: FastifyInstance,
  deps: { intake: IntakeService },
): Promise<void> {
  // Own scope: the signature covers the exact bytes, so this route reads the body unparsed.
  await app.register((scope, _options, registered) => {
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BYTES },
      (_req, body, done) => {
        done(null, body);
      },
    );
    const typed = withZod(scope);

    typed.get(
      '/webhooks/whatsapp',
      {
        config: { access: 'public' },
        schema: {
          tags: ['whatsapp'],
          summary: 'Webhook verification handshake (Meta calls it when the callback URL is set)',
          querystring: z.looseObject({
            'hub.mode': z.string().optional(),
            'hub.verify_token': z.string().optional(),
            'hub.challenge': z.string().optional(),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const challenge = await deps.intake.verifySubscription(
          q['hub.mode'],
          q['hub.verify_token'],
          q['hub.challenge'],
        );
        return reply.type('text/plain').send(challenge);
      },
    );

    typed.post(
      '/webhooks/whatsapp',
      {
        config: { access: 'public' },
        bodyLimit: MAX_WEBHOOK_BYTES,
        schema: {
          tags: ['whatsapp'],
          summary: 'WhatsApp Cloud API webhooks, signed with X-Hub-Signature-256; stored before the 200',
        },
      },
      async (request, reply) => {
        const signature = request.headers['x-hub-signature-256'];
        await deps.intake.receive(
          request.body as Buffer,
          typeof signature === 'string' ? signature : undefined,
        );
        return reply.status(200).send({ received: true });
      },
    );
    registered();
  });
}
