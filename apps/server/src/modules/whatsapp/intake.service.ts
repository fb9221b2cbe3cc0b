// Webhook intake: verify, store, acknowledge; then process every entry, change, message and
// status of the stored receipt in a job. Nothing is stored before the signature is verified, and
// the 200 is sent only after the receipt is committed.
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { describeError } from '../../platform/db/pg-errors.ts';
import { defineJob, type JobQueue } from '../../platform/jobs/job-queue.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SecretBox } from '../../platform/security/secret-box.ts';
import { hashToken, uuidv7 } from '../../platform/security/tokens.ts';
import type { InboundService } from '../conversations/inbound.service.ts';
import type { MediaService } from './media.service.ts';
import { normalizeInbound } from './normalize.ts';
import { numberLookup } from './numbers.repo.ts';
import { verifyWebhookSignature } from './signature.ts';
import {
  contactSchema,
  namedAccounts,
  statusSchema,
  webhookEnvelopeSchema,
  type WebhookEnvelope,
} from './webhook-payload.ts';
import { webhookRepo } from './webhook.repo.ts';

/** A receipt that failed this often is left for a person (visible with its last error). */
const RECEIPT_MAX_ATTEMPTS = 10;
const SWEEP_INTERVAL_MS = 30_000;
const SWEEP_MIN_AGE_MS = 120_000;

export interface IntakeCounters {
  receipts: number;
  rejectedSignatures: number;
  unknownNumbers: number;
  messages: number;
  duplicates: number;
  statuses: number;
  ignoredFields: number;
}

export function createIntakeService(deps: {
  database: Database;
  queue: JobQueue;
  clock: Clock;
  secretBox: SecretBox;
  inbound: InboundService;
  media: Pick<MediaService, 'enqueueDownload'>;
  log: Logger;
}) {
  const { database, queue, clock, secretBox, inbound, media, log } = deps;
  const counters: IntakeCounters = {
    receipts: 0,
    rejectedSignatures: 0,
    unknownNumbers: 0,
    messages: 0,
    duplicates: 0,
    statuses: 0,
    ignoredFields: 0,
  };

  /** The GET handshake: answers the challenge when the verify token is one of our numbers'. */
  async function verifySubscription(
    mode: string | undefined,
    token: string | undefined,
    challenge: string | undefined,
  ): Promise<string> {
    if (mode !== 'subscribe' || !token || challenge === undefined) {
      throw new AppError('forbidden', 'Not a valid subscription request.');
    }
    const numbers = await database.system((tx) => numberLookup(tx).byVerifyTokenHash(hashToken(token)));
    if (numbers.length === 0) throw new AppError('forbidden', 'Unknown verify token.');
    return challenge;
  }

  /** Verifies and stores one POST. Returns 'accepted', or 'ignored' when it names no number of ours. */
  async function receive(raw: Buffer, signature: string | undefined): Promise<'accepted' | 'ignored'> {
    let envelope: WebhookEnvelope;
    try {
      envelope = webhookEnvelopeSchema.parse(JSON.parse(raw.toString('utf8')));
    } catch {
      throw new AppError('malformed_request', 'The webhook body is not a WhatsApp Business Account payload.');
    }
    const { phoneNumberIds, wabaIds } = namedAccounts(envelope);
    const numbers = await database.system(async (tx) => {
      const lookup = numberLookup(tx);
      const byPhone = await lookup.byPhoneNumberIds(phoneNumberIds);
      return byPhone.length > 0 ? byPhone : lookup.byWabaIds(wabaIds);
    });
    if (numbers.length === 0) {
      // Nobody's number: answer 200 so the sender stops retrying, and count it. Nothing else is kept.
      const now = clock.now();
      await database.system(async (tx) => {
        for (const id of phoneNumberIds) await webhookRepo(tx).countUnknownNumber(id, now);
      });
      counters.unknownNumbers += 1;
      log.warn({ phoneNumberIds, wabaIds }, 'webhook for unknown WhatsApp numbers ignored');
      return 'ignored';
    }
    const secrets = [...new Set(numbers.map((n) => secretBox.decrypt(n.appSecretEnc)))];
    if (!verifyWebhookSignature(raw, signature, secrets)) {
      counters.rejectedSignatures += 1;
      throw new AppError(
        'unauthenticated',
        'The X-Hub-Signature-256 signature is missing or does not match.',
      );
    }
    const now = clock.now();
    const receiptId = uuidv7(now.getTime());
    await database.system((tx) =>
      webhookRepo(tx).insertReceipt({ id: receiptId, receivedAt: now, body: raw.toString('utf8') }),
    );
    counters.receipts += 1;
    await queue.send(processReceiptJob, { receiptId });
    return 'accepted';
  }

  async function processChange(field: string, value: Record<string, unknown>): Promise<void> {
    if (field !== 'messages') {
      counters.ignoredFields += 1;
      log.info({ field }, 'webhook field not handled yet');
      return;
    }
    const metadata = value['metadata'] as { phone_number_id?: string } | undefined;
    const phoneNumberId = metadata?.phone_number_id;
    if (!phoneNumberId) return;
    const [number] = await database.system((tx) => numberLookup(tx).byPhoneNumberIds([phoneNumberId]));
    if (!number) {
      await database.system((tx) => webhookRepo(tx).countUnknownNumber(phoneNumberId, clock.now()));
      counters.unknownNumbers += 1;
      return;
    }
    const contacts = z
      .array(contactSchema)
      .catch([])
      .parse(value['contacts'] ?? []);
    const messages = Array.isArray(value['messages']) ? (value['messages'] as Record<string, unknown>[]) : [];
    for (const item of messages) {
      const message = normalizeInbound(item);
      // The profile of this sender: the one with its wa_id, or a lone profile without one
      // (business-scoped ids); never another person's.
      const profile =
        contacts.find((c) => c.wa_id === message.from) ??
        contacts.find((c) => !c.wa_id && contacts.length === 1);
      const result = await inbound.recordInbound(
        number.tenantId,
        number.id,
        {
          waId: message.from || profile?.wa_id || null,
          userId: profile?.user_id ?? null,
          username: profile?.profile?.username ?? null,
          profileName: profile?.profile?.name ?? null,
        },
        message,
      );
      if (result.duplicate) counters.duplicates += 1;
      else counters.messages += 1;
      // Media is fetched by its own job: a slow or failing download never holds up the inbox.
      if (!result.duplicate && result.message) await media.enqueueDownload(result.message);
    }
    const statuses = z
      .array(statusSchema)
      .catch([])
      .parse(value['statuses'] ?? []);
    for (const s of statuses) {
      const error = s.errors?.[0];
      await inbound.recordStatus(number.tenantId, {
        externalId: s.id,
        status: s.status,
        occurredAt: new Date(Number(s.timestamp ?? 0) * 1000),
        errorCode: error?.code === undefined ? undefined : String(error.code),
        errorTitle: error?.title,
        payload: s,
      });
      counters.statuses += 1;
    }
    if (Array.isArray(value['errors']) && messages.length === 0 && statuses.length === 0) {
      log.warn({ phoneNumberId, errors: value['errors'] }, 'WhatsApp reported an error');
    }
  }

  async function processReceipt(receiptId: string): Promise<void> {
    const receipt = await database.system((tx) => webhookRepo(tx).findReceipt(receiptId));
    if (!receipt || receipt.processedAt) return;
    try {
      const envelope = webhookEnvelopeSchema.parse(JSON.parse(receipt.body));
      for (const entry of envelope.entry) {
        for (const change of entry.changes) await processChange(change.field, change.value);
      }
    } catch (err) {
      await database.system((tx) => webhookRepo(tx).recordAttemptFailure(receiptId, describeError(err)));
      throw err;
    }
    await database.system((tx) => webhookRepo(tx).markProcessed(receiptId, clock.now()));
  }

  const processReceiptJob = defineJob({
    name: 'whatsapp.process-receipt',
    payload: z.object({ receiptId: z.uuid() }),
    priority: 'inbound',
    retryLimit: RECEIPT_MAX_ATTEMPTS,
    handler: ({ receiptId }) => processReceipt(receiptId),
  });
  queue.register(processReceiptJob);

  /**
   * Re-queues receipts stored at least `minAgeMs` ago and not processed yet. A receipt can be left
   * so by a crash between commit and queueing, or by a worker killed while it held the job (the
   * queue would keep that job `active` until it expires, many minutes later). Processing is
   * idempotent, so a receipt queued twice is still stored once.
   */
  async function resumeUnprocessed(minAgeMs: number): Promise<number> {
    const before = new Date(clock.now().getTime() - minAgeMs);
    let afterId: string | null = null;
    let total = 0;
    for (;;) {
      const page = await database.system((tx) =>
        webhookRepo(tx).listUnprocessed(before, RECEIPT_MAX_ATTEMPTS, afterId, 1000),
      );
      for (const r of page) await queue.send(processReceiptJob, { receiptId: r.id }, { singletonKey: r.id });
      total += page.length;
      const last = page.at(-1);
      if (page.length < 1000 || !last) return total;
      afterId = last.id;
    }
  }

  /**
   * Worker start: resume everything this installation left unprocessed, then keep sweeping for
   * receipts another instance lost (older than a job normally waits). Returns the stop function.
   */
  async function startRecovery(): Promise<() => void> {
    const resumed = await resumeUnprocessed(0);
    if (resumed > 0) log.info({ resumed }, 'resumed unprocessed webhook receipts');
    const timer = setInterval(() => {
      resumeUnprocessed(SWEEP_MIN_AGE_MS).catch((err: unknown) =>
        log.error({ err }, 'webhook receipt sweep failed'),
      );
    }, SWEEP_INTERVAL_MS);
    timer.unref();
    return () => clearInterval(timer);
  }

  return { verifySubscription, receive, processReceipt, resumeUnprocessed, startRecovery, counters };
}

export type IntakeService = ReturnType<typeof createIntakeService>;
