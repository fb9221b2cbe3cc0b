/* eslint-disable @typescript-eslint/require-await -- Fastify handlers are async so that a thrown GraphError or
   ControlError becomes a rejection that the shared error handler renders; most of them do not await. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MAX_MPS, MIN_MPS, TIERS, customerSchema, faultsSchema } from '../config.ts';
import { inboundSchema } from '../inbound.ts';
import type { LoadRunner } from '../load-mode.ts';
import { GRAPH_CALL_KINDS, failNextSchema } from '../scripted-errors.ts';
import type { SimCore } from '../sim-core.ts';

// The simulator's own control API under /_sim/v1 (documented in README.md). Bodies are validated with
// zod; failures answer 400 `{"error": "..."}`. No auth: the simulator only listens on 127.0.0.1.

const readSchema = z.object({ phoneNumberId: z.string(), from: z.string() });
const playedSchema = z.object({ messageId: z.string() });
const webhookSchema = z.object({
  url: z.url().optional(),
  appSecret: z.string().optional(),
  verifyToken: z.string().optional(),
  skipVerification: z.boolean().optional(),
  batchSize: z.number().int().min(1).max(1000).optional(),
  batchWindowMs: z.number().int().min(0).optional(),
  retryDelaysMs: z.array(z.number().int().min(0)).min(1).optional(),
  maxAgeMs: z.number().int().min(0).optional(),
});
const limitsSchema = z.object({
  phoneNumberId: z.string(),
  throughputMps: z.number().int().min(MIN_MPS).max(MAX_MPS).optional(),
  tier: z.enum(TIERS).optional(),
  qualityRating: z.enum(['GREEN', 'YELLOW', 'RED', 'UNKNOWN']).optional(),
});
const loadSchema = z.object({
  phoneNumberId: z.string(),
  ratePerSecond: z.number().positive().max(100_000),
  customers: z.number().int().min(1),
  durationMs: z.number().int().min(1).max(3_600_000),
  firstCustomer: z.number().int().optional(),
  text: z.string().optional(),
});
const graphCallsQuery = z.object({
  kind: z.enum(GRAPH_CALL_KINDS).optional(),
  phoneNumberId: z.string().optional(),
});
const templateStatusSchema = z.object({
  event: z.string().transform((s) => s.toUpperCase()),
  reason: z.string().nullable().default('NONE'),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new ControlError(z.prettifyError(r.error).replace(/\n/g, ' '));
  return r.data;
}

export class ControlError extends Error {}

export function registerControlRoutes(app: FastifyInstance, core: SimCore, load: LoadRunner): void {
  const p = '/_sim/v1';
  app.get(`${p}/businesses`, async () => ({
    businesses: core.store.businesses.map((b) => ({
      wabaId: b.wabaId,
      name: b.name,
      accessToken: b.accessToken,
      messagingLimitTier: b.tier,
      phoneNumbers: b.phones.map((ph) => ({
        id: ph.id,
        displayPhoneNumber: ph.display,
        verifiedName: ph.verifiedName,
        throughputMps: ph.throughputMps,
      })),
    })),
  }));

  app.post(`${p}/inbound`, async (request) => {
    const input = parse(inboundSchema, request.body);
    if (!core.store.phones.has(input.phoneNumberId))
      throw new ControlError(`unknown phoneNumberId ${input.phoneNumberId}`);
    try {
      return core.inbound(input);
    } catch (err) {
      throw new ControlError(err instanceof Error ? err.message : String(err));
    }
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(`${p}/outbox`, async (request) => {
    const q = request.query;
    return {
      messages: core.outbox({
        ...(q['phoneNumberId'] ? { phoneNumberId: q['phoneNumberId'] } : {}),
        ...(q['to'] ? { to: q['to'] } : {}),
        ...(q['since'] ? { since: Number(q['since']) } : {}),
      }),
    };
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(`${p}/conversation`, async (request) => {
    const { phoneNumberId = '', waId = '' } = request.query;
    const inbound = [...core.store.inbox.values()]
      .filter((m) => m.phoneNumberId === phoneNumberId && m.from === waId)
      .map((m) => ({
        seq: m.seq ?? 0,
        line: {
          direction: 'in',
          id: m.id,
          type: m.type,
          at: m.createdAt,
          message: m.message,
          readByBusiness: m.readByBusiness,
        },
      }));
    const outbound = [...core.store.outbox.values()]
      .filter((m) => m.phoneNumberId === phoneNumberId && m.to === waId)
      .map((m) => ({
        seq: m.seq ?? 0,
        line: {
          direction: 'out',
          id: m.id,
          type: m.type,
          at: m.createdAt,
          message: m.request,
          status: m.status,
        },
      }));
    const typing = core.sender.typing.get(`${phoneNumberId}:${waId}`);
    return {
      // By time, then by the order the simulator recorded them (a reply in the same millisecond as
      // the message it answers must still come after it).
      messages: [...inbound, ...outbound]
        .sort((a, b) => a.line.at - b.line.at || a.seq - b.seq)
        .map((x) => x.line),
      typing: typing !== undefined && typing.until > core.clock.now(),
    };
  });

  app.post(`${p}/read`, async (request) => {
    const b = parse(readSchema, request.body);
    return { read: core.statuses.readAll(b.phoneNumberId, b.from) };
  });
  app.post(`${p}/played`, async (request) => ({
    played: core.statuses.played(parse(playedSchema, request.body).messageId),
  }));

  app.post(`${p}/customers`, async (request) => {
    const c = core.store.upsertCustomer(parse(customerSchema, request.body));
    return { customer: c };
  });

  // Media bytes without a token, for the phone page (the simulator only listens on loopback).
  app.get(`${p}/media/:id`, async (request, reply) => {
    const media = core.store.media.get((request.params as { id: string }).id);
    if (!media) return reply.code(404).send({ error: 'unknown media id' });
    return reply.header('content-type', media.mimeType).send(media.bytes);
  });

  app.get(`${p}/faults`, async () => core.dispatcher.getFaults());
  app.post(`${p}/faults`, async (request) =>
    core.setFaults(stripUndefined(parse(faultsSchema.partial(), request.body))),
  );

  app.get(`${p}/fail-next`, async () => ({ pending: core.scripted.list() }));
  app.post(`${p}/fail-next`, async (request) => ({
    pending: core.scripted.add(stripUndefined(parse(failNextSchema, request.body))),
  }));
  app.delete(`${p}/fail-next`, async () => {
    core.scripted.clear();
    return { ok: true };
  });
  app.get(`${p}/graph-calls`, async (request) => {
    const q = parse(graphCallsQuery, request.query);
    return { calls: core.graphCalls.list(stripUndefined(q)) };
  });

  app.post(`${p}/limits`, async (request) => {
    const { phoneNumberId, ...rest } = parse(limitsSchema, request.body);
    try {
      core.setLimits(phoneNumberId, stripUndefined(rest));
    } catch (err) {
      throw new ControlError(err instanceof Error ? err.message : String(err));
    }
    return { ok: true };
  });

  app.post(`${p}/webhook`, async (request) => ({
    verification: await core.dispatcher.configure(stripUndefined(parse(webhookSchema, request.body))),
  }));
  app.get(`${p}/webhooks`, async (request) => {
    const limit = Number((request.query as Record<string, string | undefined>)['limit'] ?? 100);
    return { stats: core.dispatcher.stats(), deliveries: core.dispatcher.deliveries(limit) };
  });

  app.post(`${p}/templates/:id/status`, async (request) => {
    const template = core.store.templates.get((request.params as { id: string }).id);
    if (!template) throw new ControlError('unknown template id');
    const b = parse(templateStatusSchema, request.body);
    core.templates.setStatus(template, b.event, b.reason);
    return { id: template.id, status: template.status };
  });

  app.post(`${p}/load`, async (request) => {
    try {
      return load.start(stripUndefined(parse(loadSchema, request.body)));
    } catch (err) {
      throw new ControlError(err instanceof Error ? err.message : String(err));
    }
  });
  app.get(
    `${p}/load/:id`,
    async (request) =>
      load.status(Number((request.params as { id: string }).id)) ?? { error: 'unknown load run' },
  );
  app.delete(`${p}/load/:id`, async (request) => {
    load.finish(Number((request.params as { id: string }).id));
    return { ok: true };
  });

  app.get(`${p}/clock`, async () => ({
    now: core.clock.now(),
    iso: new Date(core.clock.now()).toISOString(),
    mode: core.clock.mode,
  }));
  app.post(`${p}/clock/advance`, async (request) => {
    const { ms } = parse(z.object({ ms: z.number().int().min(0) }), request.body);
    core.clock.advance(ms);
    return { now: core.clock.now() };
  });
}

/** Drops undefined keys so zod output fits `exactOptionalPropertyTypes` targets. */
export function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
