import type { Clock } from '../clock.ts';
import { GraphError } from '../graph-error.ts';
import { MessagingLimitTracker, PairLimiter, ThroughputLimiter } from '../limits.ts';
import type { IdSource } from '../random.ts';
import type { Failure, StatusEngine } from '../statuses.ts';
import type { Customer, Json, OutMessage, Phone, Store } from '../store.ts';
import { validateSend, type ParsedSend } from './validate-send.ts';

// Accepting a send: validate, apply the throughput and pair limits synchronously, then decide whether
// the message will be delivered or fail asynchronously (window, undeliverable, opt-out, messaging
// limit), exactly as Meta answers 200 first and reports those failures in a `failed` status.

const DAY = 24 * 3600_000;
const THIRTY_DAYS = 30 * DAY;

export interface SendDeps {
  store: Store;
  clock: Clock;
  ids: IdSource;
  statuses: StatusEngine;
  throughput: ThroughputLimiter;
  pairs: PairLimiter;
  tiers: MessagingLimitTracker;
  /** An injected transient failure for this send (faults.sendErrorRate), if any. */
  sendFault?: () => GraphError | undefined;
}

export interface TypingState {
  phoneNumberId: string;
  waId: string;
  until: number;
}

export class SendService {
  /** Typing indicators shown to customers (phone page), keyed by `phone:waId`. */
  readonly typing = new Map<string, TypingState>();
  private readonly deps: SendDeps;

  constructor(deps: SendDeps) {
    this.deps = deps;
  }

  send(phone: Phone, body: unknown): Json {
    const { store, clock } = this.deps;
    if (!phone.registered) throw new GraphError(133010, 'Phone number is not registered on the Cloud API.');
    const parsed = validateSend(body, phone.business.wabaId, phone.id, store);
    if (parsed.kind === 'read') return this.markRead(phone, parsed.messageId, parsed.typing);
    const now = clock.now();
    const fault = this.deps.sendFault?.();
    if (fault) throw fault;
    if (!this.deps.throughput.tryTake(phone.id, phone.throughputMps, now)) {
      throw new GraphError(130429, 'Cloud API message throughput has been reached.', { subcode: 2494055 });
    }
    if (parsed.recipientType === 'individual' && !this.deps.pairs.tryTake(phone.id, parsed.to, now)) {
      throw new GraphError(
        131056,
        'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
      );
    }
    const msg: OutMessage = {
      id: this.deps.ids.wamid(),
      phoneNumberId: phone.id,
      to: parsed.to,
      type: parsed.type,
      request: body as Json,
      createdAt: now,
      status: 'accepted',
      statuses: [],
      templateCategory: parsed.template?.category,
      pricingSent: false,
    };
    store.recordOutbound(msg);
    this.typing.delete(`${phone.id}:${parsed.to}`);
    // Group ids are not customers; only individual recipients can fail asynchronously.
    const failure =
      parsed.recipientType === 'group'
        ? undefined
        : this.asyncFailure(phone, store.customer(parsed.to), parsed, now);
    this.deps.statuses.progress(msg, failure);
    return {
      messaging_product: 'whatsapp',
      contacts: [{ input: parsed.input, wa_id: parsed.to }],
      messages: [{ id: msg.id, message_status: 'accepted' }],
    };
  }

  private markRead(phone: Phone, messageId: string, typing: boolean): Json {
    const msg = this.deps.store.inbox.get(messageId);
    if (msg) {
      // Marking one message read also marks the earlier ones of that chat.
      for (const m of this.deps.store.inbox.values()) {
        if (m.phoneNumberId === phone.id && m.from === msg.from && m.createdAt <= msg.createdAt)
          m.readByBusiness = true;
      }
      if (typing) {
        const key = `${phone.id}:${msg.from}`;
        this.typing.set(key, {
          phoneNumberId: phone.id,
          waId: msg.from,
          until: this.deps.clock.now() + 25_000,
        });
      }
    }
    return { success: true };
  }

  private asyncFailure(
    phone: Phone,
    customer: Customer,
    parsed: Extract<ParsedSend, { kind: 'message' }>,
    now: number,
  ): Failure | undefined {
    if (!customer.onWhatsApp) {
      return { code: 131026, details: 'Message Undeliverable.' };
    }
    const window = this.deps.store.window(phone.id, parsed.to);
    const inWindow = window !== undefined && now - window.lastInboundAt < DAY;
    if (parsed.template) {
      if (parsed.template.category === 'MARKETING' && customer.marketingOptOut) {
        return {
          code: 131050,
          details:
            'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
        };
      }
      if (parsed.template.category === 'MARKETING' && customer.marketingExperiment) {
        return {
          code: 130472,
          details: "Failed to send message because this user's phone number is part of an experiment",
        };
      }
      if (
        !inWindow &&
        !this.deps.tiers.tryReach(phone.business.wabaId, parsed.to, phone.business.tier, now)
      ) {
        return {
          code: 131048,
          details: `Message failed to send because the business reached its messaging limit (${phone.business.tier}) of unique customers outside the customer service window in 24 hours.`,
        };
      }
      return undefined;
    }
    if (!inWindow) {
      return {
        code: 131047,
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      };
    }
    if (parsed.type === 'reaction') {
      const target = String(parsed.content['message_id']);
      const found = this.deps.store.inbox.get(target) ?? this.deps.store.outbox.get(target);
      if (!found || found.type === 'reaction' || now - found.createdAt > THIRTY_DAYS) {
        return {
          code: 131009,
          details: 'Reaction target message does not exist, is too old, or is itself a reaction.',
        };
      }
    }
    return undefined;
  }
}
