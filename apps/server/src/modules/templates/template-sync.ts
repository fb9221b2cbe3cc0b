// Our copy of an account's templates follows Graph: a sync reads every page of
// `GET /{WABA_ID}/message_templates`, adds what is new, updates what changed and deletes what Graph
// no longer has. On demand (the sync route) and hourly for every connected account (a pg-boss
// schedule, which fires once across instances; each account then syncs in its own job).
//
// Idempotent and safe beside other writers: the account's rows are locked while the sync writes,
// and a row changed after the read began (our own create, a status webhook) is neither overwritten
// nor deleted: the next sync sees it.
import { z } from 'zod';
import type { TemplateSyncResult } from '@switchboard/contracts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { defineJob, type JobQueue } from '../../platform/jobs/job-queue.ts';
import type { Logger } from '../../platform/logger.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { numbersRepo, type WhatsappNumberRow } from '../whatsapp/numbers.repo.ts';
import type { GraphTemplate, TemplateGraph } from './template-graph.ts';
import { normalizeComponents } from './template-shape.ts';
import {
  templateSyncLookup,
  templatesRepo,
  type NewTemplateRow,
  type TemplateRow,
} from './templates.repo.ts';
import type { TemplatesService } from './templates.service.ts';

/** Minute 17 of every hour, UTC: away from the top of the hour, when everyone else's jobs run. */
export const TEMPLATE_SYNC_CRON = '17 * * * *';

const keyOf = (name: string, language: string) => `${name}\u0000${language}`;

/** The columns a Graph template sets, and its status reason given what we had. */
function fieldsOf(g: GraphTemplate, before: TemplateRow | undefined) {
  const status = (g.status ?? 'PENDING').toUpperCase();
  const reason = g.rejected_reason && g.rejected_reason !== 'NONE' ? g.rejected_reason : undefined;
  return {
    externalId: String(g.id),
    category: (g.category ?? '').toUpperCase(),
    status,
    parameterFormat:
      g.parameter_format?.toLowerCase() === 'named' ? ('named' as const) : ('positional' as const),
    components: normalizeComponents(g.components ?? []),
    // Graph lists no reason for most statuses: keep the webhook's while the status is the same.
    statusReason: reason ?? (before && before.status === status ? before.statusReason : null),
  };
}

/** JSON with object keys sorted: jsonb does not keep key order, so a plain stringify would differ. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return v === undefined ? 'null' : JSON.stringify(v);
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

export function createTemplateSync(deps: {
  database: Database;
  clock: Clock;
  queue: JobQueue;
  graph: TemplateGraph;
  callGraph: TemplatesService['callGraph'];
  log: Logger;
  /** Register the hourly schedule (off in tests, which sync on demand). */
  schedule: boolean;
}) {
  const { database, clock, queue, graph, callGraph, log } = deps;

  /** Syncs the account of `number` through it. */
  async function syncThrough(tenantId: string, number: WhatsappNumberRow): Promise<TemplateSyncResult> {
    const started = clock.now();
    const remote = await callGraph(tenantId, number, 'list the templates', () => graph.listAll(number));
    const now = clock.now();
    return database.tenant(tenantId, async (tx) => {
      const repo = templatesRepo(tx);
      await repo.lockAccount(tenantId, number.wabaId);
      const existing = new Map(
        (await repo.listAccount(tenantId, number.wabaId)).map((r) => [keyOf(r.name, r.language), r]),
      );
      const result = { fetched: remote.length, created: 0, updated: 0, unchanged: 0, deleted: 0 };
      const keep: string[] = [];
      const fresh: NewTemplateRow[] = [];
      const seen = new Set<string>();
      for (const g of remote) {
        const key = keyOf(g.name, g.language);
        if (seen.has(key)) continue;
        seen.add(key);
        const before = existing.get(key);
        const fields = fieldsOf(g, before);
        if (!before) {
          const id = uuidv7(now.getTime());
          keep.push(id);
          fresh.push({
            id,
            numberId: number.id,
            wabaId: number.wabaId,
            name: g.name,
            language: g.language,
            ...fields,
            syncedAt: now,
            createdAt: now,
            updatedAt: now,
          });
          continue;
        }
        keep.push(before.id);
        const changed = (Object.keys(fields) as (keyof typeof fields)[]).some(
          (k) => !same(fields[k], before[k]),
        );
        if (before.updatedAt > started || !changed) {
          // Changed since our read began (theirs is newer), or nothing to change.
          result.unchanged += 1;
          continue;
        }
        await repo.update(tenantId, before.id, {
          ...fields,
          numberId: number.id,
          syncedAt: now,
          updatedAt: now,
        });
        result.updated += 1;
      }
      result.created = await repo.insertMany(tenantId, fresh);
      result.deleted = await repo.deleteMissing(tenantId, number.wabaId, keep, started);
      await repo.markSynced(tenantId, number.wabaId, now);
      return result;
    });
  }

  /** The on-demand sync of a number's account. */
  async function syncTemplates(tenantId: string, numberId: string): Promise<TemplateSyncResult> {
    const number = await database.tenant(tenantId, (tx) => numbersRepo(tx).findById(tenantId, numberId));
    if (!number) throw new AppError('not_found', 'WhatsApp number not found.');
    return syncThrough(tenantId, number);
  }

  /** The job's work: syncs an account through its oldest active number; gives up on refusals. */
  async function syncAccount(tenantId: string, wabaId: string): Promise<void> {
    const [number] = await database.tenant(tenantId, (tx) =>
      templatesRepo(tx).accountNumbers(tenantId, wabaId),
    );
    if (!number) return;
    try {
      const result = await syncThrough(tenantId, number);
      log.info({ tenantId, wabaId, ...result }, 'templates synced');
    } catch (err) {
      // Outages and rate limits are tried again by the job; a refusal would only be refused again.
      if (err instanceof AppError && (err.code === 'not_ready' || err.code === 'rate_limited')) throw err;
      log.warn({ tenantId, wabaId, err }, 'template sync refused; the next scheduled sync tries again');
    }
  }

  const syncAccountJob = defineJob({
    name: 'templates.sync-account',
    payload: z.object({ tenantId: z.uuid(), wabaId: z.string().min(1) }),
    priority: 'bulk',
    retryLimit: 3,
    handler: ({ tenantId, wabaId }) => syncAccount(tenantId, wabaId),
  });
  queue.register(syncAccountJob);

  /** Queues a sync of an account (at most one waiting per account). */
  async function requestSync(tenantId: string, wabaId: string): Promise<void> {
    await queue.send(syncAccountJob, { tenantId, wabaId }, { singletonKey: `${tenantId}:${wabaId}` });
  }

  /** Platform-level: one sync job per connected account of every organization. */
  async function syncAll(): Promise<number> {
    const accounts = await database.system((tx) => templateSyncLookup(tx).accounts());
    for (const { tenantId, wabaId } of accounts) await requestSync(tenantId, wabaId);
    return accounts.length;
  }

  const syncAllJob = defineJob({
    name: 'templates.sync-all',
    payload: z.object({}),
    priority: 'bulk',
    retryLimit: 1,
    handler: async () => {
      const accounts = await syncAll();
      log.info({ accounts }, 'scheduled template sync queued');
    },
  });
  queue.register(syncAllJob);
  if (deps.schedule) queue.schedule(syncAllJob, TEMPLATE_SYNC_CRON, {});

  return { syncTemplates, syncAccount, requestSync, syncAll };
}

export type TemplateSync = ReturnType<typeof createTemplateSync>;
