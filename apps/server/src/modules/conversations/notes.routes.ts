import { z } from 'zod';
import { createNoteRequestSchema, MAX_MENTIONS, problemSchema } from '@switchboard/contracts';
import { userPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { MessageRow } from './conversations.repo.ts';
import type { NotesService } from './notes.service.ts';

const noteView = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    direction: z.literal('note'),
    type: z.literal('text'),
    content: z.object({ body: z.string(), mentions: z.array(z.uuid()) }),
    senderUserId: z.uuid().describe('The author'),
    occurredAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Note' });

function present(m: MessageRow): z.infer<typeof noteView> {
  const content = m.content as { body: string; mentions: string[] };
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: 'note',
    type: 'text',
    content: { body: content.body, mentions: content.mentions },
    senderUserId: m.senderUserId ?? '',
    occurredAt: m.occurredAt.toISOString(),
    createdAt: m.createdAt.toISOString(),
  };
}

const description = `A private note in the conversation's thread, for agents only: it is never
sent to the client and does not change the conversation (its 24-hour window, unread count and last
activity). It appears in the message history with \`direction: "note"\` and on the realtime socket
as \`note.created\`.

**Mentions** are explicit: \`mentions\` lists the ids of the users to notify (up to ${MAX_MENTIONS}); the
body is free text, so write the names as you like (e.g. "@Ana") and render chips from \`mentions\`.
Each id must be an active user of the organization, or the request fails with 422
\`unprocessable_content\` naming \`body.mentions.<index>\`. Every mentioned user except the author gets a \`mention\`
notification (GET /api/v1/notifications) and a \`notification.created\` realtime event meant for
them alone.

Signed-in users only: a note has an author, and an API key is nobody.`;

export function registerNoteRoutes(app: ZodApp, deps: { notes: NotesService }): void {
  const { notes } = deps;
  app.post(
    '/api/v1/conversations/:id/notes',
    {
      config: { access: 'user', permission: 'conversations.manage' },
      schema: {
        tags: ['conversations'],
        summary: 'Write a private note, optionally mentioning colleagues',
        description,
        params: idParams,
        body: createNoteRequestSchema,
        response: { 201: noteView, ...problemResponses, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const note = await notes.addNote(userPrincipal(request), request.params.id, request.body);
      return reply.status(201).send(present(note));
    },
  );
}
