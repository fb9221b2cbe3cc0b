import { z } from 'zod';
import { problemSchema, sendMessageRequestSchema } from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import { messageView, presentMessage } from '../conversations/conversations.routes.ts';
import type { OutboundService } from './outbound.service.ts';

const tags = ['conversations'];
const manage = { access: 'tenant', permission: 'conversations.manage' } as const;

const description = `Queues a message to the conversation's client and answers **202** with it in
status \`queued\`. The delivery engine sends it in order after the client's earlier messages, paced
to the number's throughput and to WhatsApp's per-client rate; its status then moves on the
realtime socket (\`message.updated\`): \`sent\` (Meta accepted it, with its \`externalId\`),
\`delivered\`, \`read\`, or \`failed\` with \`errorCode\` and a readable \`errorTitle\`. A message whose
request may have reached Meta without an answer becomes \`unknown\` and is never resent by itself:
see POST …/messages/{messageId}/resend.

Refusals, before anything leaves:
- **409 \`whatsapp_window_closed\`**: any type but \`template\` more than 24 hours after the client's
  last message (\`windowExpiresAt\` on the conversation, repeated in the problem); send a template.
- **409 \`contact_opted_out\`**: a MARKETING template to a client who stopped marketing messages.
- **400 \`validation_failed\`**: the body breaks a Cloud API limit, or a template's parameters do not
  fit it (each issue names its parameter).
- **422 \`unprocessable_content\`**: \`replyTo\` or \`reaction.messageId\` is not a message of this
  conversation with a WhatsApp id, or the client has no WhatsApp number.`;

export function registerOutboundRoutes(app: ZodApp, deps: { outbound: OutboundService }): void {
  const { outbound } = deps;
  app.post(
    '/api/v1/conversations/:id/messages',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Send a message (text, media, location, contacts, reaction, interactive or template)',
        description,
        params: idParams,
        body: sendMessageRequestSchema,
        response: { 202: messageView, ...problemResponses, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const principal = tenantPrincipal(request);
      const message = await outbound.send(
        principal.tenantId,
        request.params.id,
        request.body,
        principal.kind === 'user' ? principal.userId : null,
      );
      return reply.status(202).send(presentMessage(message));
    },
  );

  app.post(
    '/api/v1/conversations/:id/messages/:messageId/resend',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Send a failed or unknown message again',
        description:
          'Puts an outbound message whose status is `failed` or `unknown` back in line (202, status `queued`). ' +
          'An `unknown` message may already have reached the client: resending is the agent’s decision, never ' +
          'automatic. Other statuses answer 409 `conflict`; outside the 24-hour window, non-template messages ' +
          'answer 409 `whatsapp_window_closed`.',
        params: z.strictObject({
          id: z.uuid({ error: 'Must be a UUID' }),
          messageId: z.uuid({ error: 'Must be a UUID' }),
        }),
        response: { 202: messageView, ...problemResponses, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const message = await outbound.resend(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.params.messageId,
      );
      return reply.status(202).send(presentMessage(message));
    },
  );
}
