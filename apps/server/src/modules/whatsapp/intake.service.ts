// Webhook intake: verify, store, acknowledge; then a worker (intake-worker.ts) processes every entry,
// change, message and status of the stored receipts. Nothing is stored before the signature is
// verified, and the 200 is sent only after the receipt is committed.
//
// The receipts table is the intake's own durable queue (ADR 0005): the worker claims receipts in
// batches, is woken at once by this instance's own receipts and otherwise polls.
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { SecretBox } from '../../platform/security/secret-box.ts';
import { hashToken, uuidv7 } from '../../platform/security/tokens.ts';
import type { InboundService } from '../conversations/inbound.service.ts';
import { createIntakeWorker } from './intake-worker.ts';
import type { MediaService } from './media.service.ts';
import { numberLookup } from './numbers.repo.ts';
import { verifyWebhookSignature } from './signature.ts';
import { signingNumbers } from './signing-numbers.ts';
import { namedAccounts, webhookEnvelopeSchema, type WebhookEnvelope } from './webhook-payload.ts';
import { receiptInserter, webhookRepo } from './webhook.repo.ts';

/** Shared receipt INSERTs running at once on PostgreSQL (the acknowledgement path's group commit). */
const RECEIPT_INSERTS_IN_FLIGHT = 2;

export interface IntakeCounters {
  receipts: number;
  rejectedSignatures: number;
  unknownNumbers: number;
  messages: number;
  duplicates: number;
  statuses: number;
  ignoredFields: number;
}

/**
 * Handles one change of a field other than `messages` (template statuses, marketing preferences).
 * Idempotent; 'unknown_account' when no organization has the account or number it names (counted,
 * never retried). A throw fails the receipt, which is tried again.
 */
export type WebhookFieldHandler = (change: {
  wabaId: string;
  value: Record<string, unknown>;
}) => Promise<'processed' | 'unknown_account'>;

export function createIntakeService(deps: {
  database: Database;
  clock: Clock;
  secretBox: SecretBox;
  inbound: InboundService;
  media: Pick<MediaService, 'enqueueDownload'>;
  log: Logger;
  /** Handlers of other webhook fields, by field name. */
  fieldHandlers?: Record<string, WebhookFieldHandler>;
  /** Wakes other processes' workers: called after a receipt is stored here without a worker. */
  wakeElsewhere?: () => void;
}) {
  const { database, clock, secretBox, inbound, media, log } = deps;
  const fieldHandlers = deps.fieldHandlers ?? {};
  const counters: IntakeCounters = {
    receipts: 0,
    rejectedSignatures: 0,
    unknownNumbers: 0,
    messages: 0,
    duplicates: 0,
    statuses: 0,
    ignoredFields: 0,
  };

  const signing = signingNumbers(database, secretBox);

  const worker = createIntakeWorker({ database, clock, inbound, media, log, fieldHandlers, counters });

  // ---------------------------------------------------------------------------------------------
  // Receiving
  // ---------------------------------------------------------------------------------------------

  // PGlite runs one statement at a time: a second INSERT in flight would only wait for the first.
  const insertReceipt = receiptInserter(
    database.db,
    database.kind === 'postgres' ? RECEIPT_INSERTS_IN_FLIGHT : 1,
  );

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
    const numbers = await signing.numbersNamed(phoneNumberIds, wabaIds);
    if (numbers.length === 0) {
      // Nobody's number: answer 200 so the sender stops retrying, and count it. Nothing else is kept.
      const now = clock.now();
      for (const id of phoneNumberIds)
        await database.read((db) => webhookRepo(db).countUnknownNumber(id, now));
      counters.unknownNumbers += 1;
      log.warn({ phoneNumberIds, wabaIds }, 'webhook for unknown WhatsApp numbers ignored');
      return 'ignored';
    }
    const secrets = [...new Set(numbers.map((n) => n.appSecret))];
    if (!verifyWebhookSignature(raw, signature, secrets)) {
      counters.rejectedSignatures += 1;
      throw new AppError(
        'unauthenticated',
        'The X-Hub-Signature-256 signature is missing or does not match.',
      );
    }
    const now = clock.now();
    const id = uuidv7(now.getTime());
    // Committed before the 200, in an INSERT shared with concurrent POSTs (receiptInserter).
    await insertReceipt({ id, receivedAt: now, body: raw.toString('utf8') });
    counters.receipts += 1;
    // This instance's worker, if one runs here, takes it at once; else another process's is woken.
    if (!worker.handOff(id, envelope)) deps.wakeElsewhere?.();
    return 'accepted';
  }

  return {
    verifySubscription,
    receive,
    startWorker: worker.startWorker,
    /** Receipts were stored (by another process): this instance's worker claims them now. */
    wake: worker.wake,
    /** Forgets cached numbers: this instance changed or removed one. */
    forgetNumbers: signing.forget,
    pruneReceipts: worker.pruneReceipts,
    backlog: worker.backlog,
    counters,
  };
}

export type IntakeService = ReturnType<typeof createIntakeService>;
