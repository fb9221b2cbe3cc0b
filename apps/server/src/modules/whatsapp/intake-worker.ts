// The webhook intake's worker: processes every entry, change, message and status of the receipts
// that the intake (intake.service.ts) stored.
//
// The receipts table is the intake's own durable queue (ADR 0005), apart from the job queue so
// inbound work never waits behind other jobs: the worker claims receipts in batches with a lease
// (`webhookRepo.claim`), is woken at once by this instance's own receipts and otherwise polls, and
// records each tenant's part of a batch in one transaction (`InboundService.recordBatch`).
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { startClaimLoop, type ClaimLoop } from '../../platform/jobs/claim-loop.ts';
import { describeError } from '../../platform/db/pg-errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { InboundItem, InboundItemResult, InboundService } from '../conversations/inbound.service.ts';
import type { IntakeCounters, WebhookFieldHandler } from './intake.service.ts';
import type { MediaService } from './media.service.ts';
import { normalizeInbound } from './normalize.ts';
import { numberLookup } from './numbers.repo.ts';
import {
  contactSchema,
  statusSchema,
  webhookEnvelopeSchema,
  type WebhookEnvelope,
} from './webhook-payload.ts';
import { webhookRepo, type ClaimedReceipt } from './webhook.repo.ts';

/** A receipt claimed this often without success is left for a person (visible with its last error). */
const RECEIPT_MAX_ATTEMPTS = 10;
/** How long a claim keeps other workers off a receipt; a worker that dies gives it back then. */
const LEASE_SECONDS = 60;
/** An idle worker looks for receipts this often (other instances' receipts, retries, lost leases). */
const POLL_MS = 500;
/** Receipts per claim, and items (messages, statuses) per tenant transaction. */
const CLAIM_LIMIT = 100;
const ITEMS_PER_TRANSACTION = 250;
/**
 * Worker loops per instance on PostgreSQL (PGlite runs one statement at a time, so a second loop
 * would only wait for the first); a claim at least BUSY_CLAIM full brings the second one in.
 */
const POSTGRES_LOOPS = 2;
const BUSY_CLAIM = 10;
/**
 * Receipts this instance stored keep their parsed envelope in memory until a worker claims them,
 * so its own worker reads no body back; at most this many, for at most twice a lease.
 */
const HANDOFF_MAX = 10_000;

/** Processed receipts are kept this long (to inspect a delivery), then deleted by the worker. */
const RECEIPT_RETENTION_DAYS = 7;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const PRUNE_BATCH = 1000;

/** Seconds before retrying a receipt after its `attempts`-th failure: 2, 4, 8 ... up to 5 minutes. */
const retryDelaySeconds = (attempts: number) => Math.min(2 ** attempts, 300);

/** One item of a claimed receipt, with the receipt it came from. */
interface Planned {
  receiptId: string;
  tenantId: string;
  item: InboundItem;
}

/** A change handed to a field handler, with the receipt it came from. */
interface FieldChange {
  receiptId: string;
  field: string;
  wabaId: string;
  value: Record<string, unknown>;
}

export function createIntakeWorker(deps: {
  database: Database;
  clock: Clock;
  inbound: InboundService;
  media: Pick<MediaService, 'enqueueDownload'>;
  log: Logger;
  /** Handlers of other webhook fields, by field name. */
  fieldHandlers: Record<string, WebhookFieldHandler>;
  /** The intake's counters, shared with the receiving side (intake.service.ts). */
  counters: IntakeCounters;
}) {
  const { database, clock, inbound, media, log, fieldHandlers, counters } = deps;

  // ---------------------------------------------------------------------------------------------
  // Processing
  // ---------------------------------------------------------------------------------------------

  /** Envelopes of receipts this instance stored, by receipt id, for its worker (see HANDOFF_MAX). */
  const handoff = new Map<string, { envelope: WebhookEnvelope; at: number }>();

  /** The envelopes of claimed receipts: handed off in memory, else read back and parsed. */
  async function envelopesOf(
    receipts: ClaimedReceipt[],
    failed: Map<string, string>,
  ): Promise<Map<string, WebhookEnvelope>> {
    const envelopes = new Map<string, WebhookEnvelope>();
    for (const { id } of receipts) {
      const held = handoff.get(id);
      if (!held) continue;
      handoff.delete(id);
      envelopes.set(id, held.envelope);
    }
    const missing = receipts.filter((r) => !envelopes.has(r.id)).map((r) => r.id);
    for (const { id, body } of await database.read((db) => webhookRepo(db).bodies(missing))) {
      try {
        envelopes.set(id, webhookEnvelopeSchema.parse(JSON.parse(body)));
      } catch (err) {
        failed.set(id, describeError(err));
      }
    }
    return envelopes;
  }

  /**
   * Every item of the receipts, in order, with its organization. Changes for numbers nobody has
   * are counted (never retried). A receipt that is not a webhook envelope fails.
   */
  async function plan(
    receipts: ClaimedReceipt[],
    failed: Map<string, string>,
    others: FieldChange[],
  ): Promise<Planned[]> {
    const envelopes = await envelopesOf(receipts, failed);
    const changes: FieldChange[] = [];
    for (const { id } of receipts) {
      for (const entry of envelopes.get(id)?.entry ?? []) {
        for (const change of entry.changes) changes.push({ receiptId: id, wabaId: entry.id, ...change });
      }
    }
    const phoneOf = (value: Record<string, unknown>) =>
      (value['metadata'] as { phone_number_id?: unknown } | undefined)?.phone_number_id;
    const phoneIds = [
      ...new Set(changes.map((c) => phoneOf(c.value)).filter((id): id is string => typeof id === 'string')),
    ];
    // Read afresh: who owns a number decides where its messages go.
    const numbers = new Map(
      (await database.read((db) => numberLookup(db).byPhoneNumberIds(phoneIds))).map((n) => [
        n.phoneNumberId,
        n,
      ]),
    );
    const planned: Planned[] = [];
    for (const change of changes) {
      const { receiptId, field, value } = change;
      if (fieldHandlers[field]) {
        others.push(change);
        continue;
      }
      if (field !== 'messages') {
        counters.ignoredFields += 1;
        log.info({ field }, 'webhook field not handled yet');
        continue;
      }
      const phoneNumberId = phoneOf(value);
      if (typeof phoneNumberId !== 'string' || !phoneNumberId) continue;
      const number = numbers.get(phoneNumberId);
      if (!number) {
        await database.read((db) => webhookRepo(db).countUnknownNumber(phoneNumberId, clock.now()));
        counters.unknownNumbers += 1;
        continue;
      }
      const tenantId = number.tenantId;
      const contacts = z
        .array(contactSchema)
        .catch([])
        .parse(value['contacts'] ?? []);
      const messages = Array.isArray(value['messages'])
        ? (value['messages'] as Record<string, unknown>[])
        : [];
      for (const raw of messages) {
        const message = normalizeInbound(raw);
        // The profile of this sender: the one with its wa_id, or a lone profile without one
        // (business-scoped ids); never another person's.
        const profile =
          contacts.find((c) => c.wa_id === message.from) ??
          contacts.find((c) => !c.wa_id && contacts.length === 1);
        const sender = {
          waId: message.from || profile?.wa_id || null,
          userId: profile?.user_id ?? null,
          username: profile?.profile?.username ?? null,
          profileName: profile?.profile?.name ?? null,
        };
        planned.push({
          receiptId,
          tenantId,
          item: { kind: 'message', numberId: number.id, sender, message },
        });
      }
      const statuses = z
        .array(statusSchema)
        .catch([])
        .parse(value['statuses'] ?? []);
      for (const s of statuses) {
        const error = s.errors?.[0];
        const update = {
          externalId: s.id,
          status: s.status,
          occurredAt: new Date(Number(s.timestamp ?? 0) * 1000),
          errorCode: error?.code === undefined ? undefined : String(error.code),
          errorTitle: error?.title,
          payload: s,
        };
        planned.push({ receiptId, tenantId, item: { kind: 'status', update } });
      }
      if (Array.isArray(value['errors']) && messages.length === 0 && statuses.length === 0) {
        log.warn({ phoneNumberId, errors: value['errors'] }, 'WhatsApp reported an error');
      }
    }
    return planned;
  }

  /** Counts an item's outcome and queues the download of new media. */
  async function settled(result: InboundItemResult): Promise<void> {
    if (result.kind === 'status') {
      counters.statuses += 1;
      return;
    }
    if (result.result.duplicate) {
      counters.duplicates += 1;
      return;
    }
    counters.messages += 1;
    // Media is fetched by its own job: a slow or failing download never holds up the inbox.
    if (result.result.message) await media.enqueueDownload(result.result.message);
  }

  /** One item in its own transaction: the fallback when its batch's transaction failed. */
  async function recordAlone(tenantId: string, item: InboundItem): Promise<InboundItemResult> {
    if (item.kind === 'status')
      return { kind: 'status', outcome: await inbound.recordStatus(tenantId, item.update) };
    const result = await inbound.recordInbound(tenantId, item.numberId, item.sender, item.message);
    return { kind: 'message', result };
  }

  /**
   * Processes claimed receipts: each organization's items in transactions of up to
   * ITEMS_PER_TRANSACTION. A transaction that fails (a deadlock, a race with an agent, a bad item)
   * is retried item by item, so only the receipts of the failing items are tried again later.
   * Returns the failed receipts with their errors.
   */
  async function processReceipts(receipts: ClaimedReceipt[]): Promise<Map<string, string>> {
    const failed = new Map<string, string>();
    const others: FieldChange[] = [];
    const planned = await plan(receipts, failed, others);
    const byTenant = new Map<string, Planned[]>();
    for (const p of planned) {
      if (failed.has(p.receiptId)) continue;
      const list = byTenant.get(p.tenantId) ?? [];
      list.push(p);
      byTenant.set(p.tenantId, list);
    }
    for (const [tenantId, list] of byTenant) {
      for (let i = 0; i < list.length; i += ITEMS_PER_TRANSACTION) {
        const chunk = list.slice(i, i + ITEMS_PER_TRANSACTION);
        let results: InboundItemResult[] | undefined;
        try {
          results = await inbound.recordBatch(
            tenantId,
            chunk.map((p) => p.item),
          );
        } catch (err) {
          log.warn(
            { err, tenantId, items: chunk.length },
            'inbound batch failed; recording its items one by one',
          );
        }
        for (const [k, p] of chunk.entries()) {
          try {
            await settled(results?.[k] ?? (await recordAlone(tenantId, p.item)));
          } catch (err) {
            failed.set(p.receiptId, describeError(err));
          }
        }
      }
    }
    for (const { receiptId, field, wabaId, value } of others) {
      const handle = fieldHandlers[field];
      if (!handle || failed.has(receiptId)) continue;
      try {
        const outcome = await handle({ wabaId, value });
        if (outcome === 'unknown_account') {
          counters.unknownNumbers += 1;
          log.warn({ field, wabaId }, 'webhook change for an account nobody has ignored');
        }
      } catch (err) {
        failed.set(receiptId, describeError(err));
      }
    }
    return failed;
  }

  /** Claims and processes one batch; returns how many receipts it claimed. */
  async function runBatch(): Promise<number> {
    const receipts = await database.read((db) =>
      webhookRepo(db).claim(CLAIM_LIMIT, LEASE_SECONDS, RECEIPT_MAX_ATTEMPTS),
    );
    if (receipts.length === 0) return 0;
    let failed: Map<string, string>;
    try {
      failed = await processReceipts(receipts);
    } catch (err) {
      // Not an item's failure (the database is unreachable, say): the whole batch is tried again.
      const error = describeError(err);
      failed = new Map(receipts.map((r) => [r.id, error]));
    }
    const done = receipts.filter((r) => !failed.has(r.id)).map((r) => r.id);
    await database.read((db) => webhookRepo(db).markProcessed(done, clock.now()));
    for (const r of receipts) {
      const error = failed.get(r.id);
      if (error === undefined) continue;
      const retry = r.attempts >= RECEIPT_MAX_ATTEMPTS ? null : retryDelaySeconds(r.attempts);
      log.warn(
        { receiptId: r.id, attempts: r.attempts, retryInSeconds: retry, error },
        'webhook receipt failed',
      );
      await database.read((db) => webhookRepo(db).recordAttemptFailure(r.id, error, retry));
    }
    return receipts.length;
  }

  // ---------------------------------------------------------------------------------------------
  // The worker
  // ---------------------------------------------------------------------------------------------

  let worker: ClaimLoop | undefined;

  /**
   * A receipt this instance just stored: its envelope is handed to this instance's worker in
   * memory (see HANDOFF_MAX) and the worker is woken. False when no worker runs here.
   */
  function handOff(id: string, envelope: WebhookEnvelope): boolean {
    if (!worker) return false;
    if (handoff.size < HANDOFF_MAX) handoff.set(id, { envelope, at: performance.now() });
    worker.wake();
    return true;
  }

  /**
   * Starts this instance's intake worker: makes every unprocessed receipt claimable at once
   * (resuming what a killed worker held: processing is idempotent, so a receipt worked twice is
   * still stored once), then works receipts as they arrive. Returns the function that stops it,
   * waiting for the batch in hand.
   */
  async function startWorker(): Promise<() => Promise<void>> {
    await database.system((tx) => webhookRepo(tx).releaseAll(RECEIPT_MAX_ATTEMPTS));
    const backlog = await database.read((db) => webhookRepo(db).backlog(RECEIPT_MAX_ATTEMPTS));
    if (backlog > 0) log.info({ backlog }, 'resuming unprocessed webhook receipts');
    const loop = startClaimLoop({
      runBatch,
      maxLoops: database.kind === 'postgres' ? POSTGRES_LOOPS : 1,
      busyClaim: BUSY_CLAIM,
      pollMs: POLL_MS,
      // Entries another worker claimed (PostgreSQL) are never taken here: they age out.
      onPoll: () => {
        const stale = performance.now() - 2 * LEASE_SECONDS * 1000;
        for (const [id, { at }] of handoff) {
          if (at >= stale) break;
          handoff.delete(id);
        }
      },
      log,
      name: 'webhook intake worker',
    });
    worker = loop;
    let pruning: Promise<void> = Promise.resolve();
    const prune = () => {
      pruning = pruneReceipts().then(
        (deleted) => {
          if (deleted > 0) log.info({ deleted }, 'processed webhook receipts past retention deleted');
        },
        (err: unknown) => log.warn({ err }, 'pruning webhook receipts failed; tried again later'),
      );
    };
    const pruner = setInterval(prune, PRUNE_EVERY_MS);
    pruner.unref();
    prune();
    return async () => {
      clearInterval(pruner);
      if (worker === loop) worker = undefined;
      await Promise.all([loop.stop(), pruning]);
      handoff.clear();
    };
  }

  /**
   * Deletes processed receipts older than the retention, a batch at a time so no statement holds
   * many rows. Unprocessed receipts, parked ones included, are never deleted. Returns how many.
   */
  async function pruneReceipts(): Promise<number> {
    const cutoff = uuidv7(clock.now().getTime() - RECEIPT_RETENTION_DAYS * 24 * 60 * 60 * 1000);
    let total = 0;
    for (;;) {
      const deleted = await database.read((db) => webhookRepo(db).deleteProcessedBefore(cutoff, PRUNE_BATCH));
      total += deleted;
      if (deleted < PRUNE_BATCH) return total;
    }
  }

  /** Receipts waiting to be processed (for metrics). */
  function backlog(): Promise<number> {
    return database.read((db) => webhookRepo(db).backlog(RECEIPT_MAX_ATTEMPTS));
  }

  return {
    startWorker,
    handOff,
    /** Receipts were stored (by another process): this instance's worker claims them now. */
    wake: () => worker?.wake(),
    pruneReceipts,
    backlog,
  };
}
