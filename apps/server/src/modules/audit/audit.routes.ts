import { z } from 'zod';
import { tenantPrincipal } from '../../platform/http/authenticate.ts';
import { problemResponses } from '../../platform/http/route-helpers.ts';
import type { ZodApp } from '../../platform/http/server.ts';
import type { AuditService } from './audit.service.ts';

const auditView = z.object({
  id: z.uuid(),
  occurredAt: z.iso.datetime(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});

export function registerAuditRoutes(app: ZodApp, deps: { audit: AuditService }): void {
  app.get(
    '/api/v1/audit-log',
    {
      config: { access: 'tenant', permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Security and admin events, newest first, filtered and paginated by cursor',
        querystring: z.strictObject({
          action: z.string().max(100).optional(),
          actorId: z.string().max(100).optional(),
          targetId: z.string().max(100).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ items: z.array(auditView), nextCursor: z.string().nullable() }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await deps.audit.list(
        tenantPrincipal(request).tenantId,
        {
          action: q.action,
          actorId: q.actorId,
          targetId: q.targetId,
          from: q.from === undefined ? undefined : new Date(q.from),
          to: q.to === undefined ? undefined : new Date(q.to),
        },
        q.cursor,
        q.limit,
      );
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
      };
    },
  );
}
