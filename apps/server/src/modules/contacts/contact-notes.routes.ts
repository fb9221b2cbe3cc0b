import { z } from 'zod';
import { contactNoteBodySchema } from '@switchboard/contracts';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { idParams, problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { ContactNoteView } from './contact-notes.repo.ts';
import type { ContactNotesService } from './contact-notes.service.ts';

const tags = ['contacts'];

const noteView = z
  .object({
    id: z.uuid(),
    contactId: z.uuid(),
    body: z.string(),
    author: z
      .object({ id: z.uuid(), name: z.string().nullable() })
      .nullable()
      .describe('null for a note written through an API key'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ContactNote' });

const present = (n: ContactNoteView): z.infer<typeof noteView> => ({
  id: n.id,
  contactId: n.contactId,
  body: n.body,
  author: n.authorUserId ? { id: n.authorUserId, name: n.authorName } : null,
  createdAt: n.createdAt.toISOString(),
  updatedAt: n.updatedAt.toISOString(),
});

const noteParams = z.strictObject({
  id: z.uuid({ error: 'Must be a UUID' }),
  noteId: z.uuid({ error: 'Must be a UUID' }),
});
const noteBody = z.strictObject({ body: contactNoteBodySchema });

export function registerContactNoteRoutes(app: ZodApp, deps: { contactNotes: ContactNotesService }): void {
  const { contactNotes } = deps;
  const read = { access: 'tenant' as const, permission: 'conversations.read' as const };
  const manage = { access: 'tenant' as const, permission: 'conversations.manage' as const };

  app.get(
    '/api/v1/contacts/:id/notes',
    {
      config: read,
      schema: {
        tags,
        summary: 'List the notes about a contact, newest first, paginated by cursor',
        params: idParams,
        querystring: z.strictObject({
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: {
          200: z.object({ items: z.array(noteView), nextCursor: z.string().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const page = await contactNotes.listNotes(
        tenantPrincipal(request).tenantId,
        request.params.id,
        request.query,
      );
      return { items: page.items.map(present), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/contacts/:id/notes',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Write a note about a contact (internal, never sent to the client)',
        params: idParams,
        body: noteBody,
        response: { 201: noteView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const note = await contactNotes.createNote(
        tenantPrincipal(request),
        request.params.id,
        request.body.body,
      );
      return reply.status(201).send(present(note));
    },
  );

  app.patch(
    '/api/v1/contacts/:id/notes/:noteId',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a note',
        description: 'Only the note’s author, an owner or an admin may: others get 403.',
        params: noteParams,
        body: noteBody,
        response: { 200: noteView, ...problemResponses },
      },
    },
    async (request) =>
      present(
        await contactNotes.updateNote(
          tenantPrincipal(request),
          request.params.id,
          request.params.noteId,
          request.body.body,
        ),
      ),
  );

  app.delete(
    '/api/v1/contacts/:id/notes/:noteId',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a note',
        description: 'Only the note’s author, an owner or an admin may: others get 403.',
        params: noteParams,
        response: { 204: z.null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await contactNotes.deleteNote(tenantPrincipal(request), request.params.id, request.params.noteId);
      return reply.status(204).send(null);
    },
  );
}
