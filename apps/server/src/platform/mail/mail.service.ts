import { z } from 'zod';
import type { Clock } from '../clock.ts';
import type { Database, Executor } from '../db/database.ts';
import { defineJob, type JobQueue } from '../jobs/job-queue.ts';
import type { Logger } from '../logger.ts';
import type { MailMessage, MailTransport } from './mailer.ts';
import { mailRepo, type OutboxRow } from './mail.repo.ts';

export interface MailService {
  /**
   * Writes a message to the outbox inside the caller's transaction. Call `dispatch` with the
   * returned id after that transaction commits.
   */
  enqueue(tx: Executor, message: MailMessage, organizationId: string | null): Promise<OutboxRow>;
  /** Hands a committed outbox message to the delivery job (no-op without SMTP). */
  dispatch(mail: OutboxRow): Promise<void>;
  listOutbox(limit: number, before?: Date): Promise<OutboxRow[]>;
  /**
   * Hands queued mail older than a minute back to the delivery job. Run at worker start: a
   * process that died between commit and dispatch loses no mail. Delivery is idempotent, so a
   * message that is in fact still queued in the job system is not sent twice.
   */
  resumeQueued(): Promise<number>;
}

const DELIVERY_ATTEMPTS = 5;

export const deliverMailPayload = z.object({ mailId: z.uuid() });

export function createMailService(deps: {
  database: Database;
  queue: JobQueue;
  transport: MailTransport | undefined;
  from: string;
  clock: Clock;
  log: Logger;
}): MailService {
  const { database, queue, transport, from, clock, log } = deps;

  const deliverJob = defineJob({
    name: 'mail.deliver',
    payload: deliverMailPayload,
    priority: 'default',
    retryLimit: DELIVERY_ATTEMPTS - 1,
    async handler({ mailId }) {
      if (!transport) return;
      const mail = await database.system((tx) => mailRepo(tx).findById(mailId));
      // Idempotent: a retried or duplicated job finds the message already sent.
      if (mail?.status !== 'queued' || mail.textBody === null) return;
      try {
        await transport.send(from, { to: mail.to, subject: mail.subject, text: mail.textBody });
      } catch (err) {
        const final = mail.attempts + 1 >= DELIVERY_ATTEMPTS;
        await database.system((tx) => mailRepo(tx).countEvent(mailId, String(err), final));
        log.warn({ err, mailId }, 'mail delivery failed');
        throw err;
      }
      await database.system((tx) => mailRepo(tx).markSent(mailId, clock.now()));
    },
  });
  queue.register(deliverJob);

  return {
    enqueue(tx, message, organizationId) {
      return mailRepo(tx).insert({
        organizationId,
        to: message.to,
        subject: message.subject,
        textBody: message.text,
        status: transport ? 'queued' : 'captured',
        createdAt: clock.now(),
      });
    },
    async dispatch(mail) {
      if (mail.status === 'queued') await queue.send(deliverJob, { mailId: mail.id });
    },
    listOutbox: (limit, before) => database.system((tx) => mailRepo(tx).list(limit, before)),
    async resumeQueued() {
      if (!transport) return 0;
      const stale = await database.system((tx) =>
        mailRepo(tx).listQueued(new Date(clock.now().getTime() - 60_000), 1000),
      );
      for (const mail of stale) await queue.send(deliverJob, { mailId: mail.id }, { singletonKey: mail.id });
      return stale.length;
    },
  };
}
