import type { Clock } from './clock.ts';
import type { SimConfig } from './config.ts';
import { buildAsyncError } from './graph-error.ts';
import type { IdSource } from './random.ts';
import type { Customer, Json, OutMessage, OutStatus, Phone, Store } from './store.ts';
import type { WebhookDispatcher } from './webhook/dispatcher.ts';

// Status progression for business-sent messages (contract doc §3): sent → delivered → read with
// configurable delays, `delivered` skipped when read comes at once, reactions only `sent`, and
// asynchronous failures as a `failed` status carrying `errors[]`.

export interface Failure {
  code: number;
  details: string;
}

const DAY = 24 * 3600_000;
const seconds = (ms: number): string => String(Math.floor(ms / 1000));

export function buildContact(customer: Customer, withBsuid: boolean): Json {
  const profile: Json = { name: customer.name };
  if (customer.username !== undefined) profile['username'] = customer.username;
  const contact: Json = { profile, wa_id: customer.waId };
  if (withBsuid) {
    contact['user_id'] = customer.userId;
    contact['parent_user_id'] = customer.parentUserId;
  }
  return contact;
}

export class StatusEngine {
  private readonly conversations = new Map<string, { id: string; expires: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly dispatcher: WebhookDispatcher,
    private readonly config: SimConfig,
  ) {}

  /** Schedules the statuses of a freshly accepted message. */
  progress(msg: OutMessage, failure: Failure | undefined): void {
    const { sentMs, deliveredMs, readMs } = this.config.statusDelays;
    if (failure) {
      this.clock.schedule(sentMs, () => this.emit(msg, 'failed', failure));
      return;
    }
    const participants = this.store.groups.get(msg.to);
    if (msg.request['recipient_type'] === 'group' && participants) {
      // Group sends: one `sent` for the group, then delivered/read per participant.
      this.clock.schedule(sentMs, () => this.emit(msg, 'sent'));
      for (const p of participants) {
        this.clock.schedule(Math.max(deliveredMs, sentMs), () => this.emit(msg, 'delivered', undefined, p));
        if (readMs !== null)
          this.clock.schedule(Math.max(readMs, sentMs), () => this.emit(msg, 'read', undefined, p));
      }
      return;
    }
    this.clock.schedule(sentMs, () => this.emit(msg, 'sent'));
    if (msg.type === 'reaction') return;
    const readsAtOnce = readMs !== null && readMs <= deliveredMs;
    if (!readsAtOnce) this.clock.schedule(Math.max(deliveredMs, sentMs), () => this.emit(msg, 'delivered'));
    if (readMs !== null) this.clock.schedule(Math.max(readMs, sentMs), () => this.emit(msg, 'read'));
  }

  /** The customer opens the chat: every delivered-but-unread message to them is read. */
  readAll(phoneNumberId: string, waId: string): number {
    let n = 0;
    for (const msg of this.store.outbox.values()) {
      if (msg.phoneNumberId !== phoneNumberId || msg.to !== waId) continue;
      if ((msg.status === 'sent' || msg.status === 'delivered') && msg.type !== 'reaction') {
        this.emit(msg, 'read');
        n++;
      }
    }
    return n;
  }

  /** A voice message was played for the first time. */
  played(messageId: string): boolean {
    const msg = this.store.outbox.get(messageId);
    if (msg?.type !== 'audio' || msg.status === 'failed' || msg.status === 'played') return false;
    this.emit(msg, 'played');
    return true;
  }

  emit(msg: OutMessage, status: OutStatus, failure?: Failure, participant?: string): void {
    const now = this.clock.now();
    // Statuses never go backwards in the outbox, even when faults reorder the webhooks.
    if (rank(status) > rank(msg.status)) msg.status = status;
    const errors = failure ? [buildAsyncError(failure.code, failure.details)] : undefined;
    msg.statuses.push({ status, timestamp: now, ...(errors ? { errors } : {}) });
    const phone = this.store.phones.get(msg.phoneNumberId);
    if (!phone) return;
    const isGroup = msg.request['recipient_type'] === 'group';
    const contactOf = isGroup ? participant : msg.to;
    const customer = contactOf === undefined ? undefined : this.store.customer(contactOf);
    const built = isGroup
      ? this.buildGroupStatus(msg, status, now, customer)
      : this.buildStatus(msg, phone, status, now, errors);
    this.dispatcher.enqueue({
      wabaId: phone.business.wabaId,
      field: 'messages',
      phone: { id: phone.id, display: phone.display },
      ...(customer ? { contact: buildContact(customer, this.config.bsuid) } : {}),
      status: built,
    });
  }

  private buildGroupStatus(
    msg: OutMessage,
    status: OutStatus,
    now: number,
    participant: Customer | undefined,
  ): Json {
    const s: Json = {
      id: msg.id,
      status,
      timestamp: seconds(now),
      recipient_id: msg.to,
      recipient_type: 'group',
    };
    if (participant) {
      s['recipient_participant_id'] = participant.waId;
      if (this.config.bsuid) {
        s['recipient_participant_user_id'] = participant.userId;
        s['recipient_participant_parent_user_id'] = participant.parentUserId;
      }
    }
    return s;
  }

  private buildStatus(msg: OutMessage, phone: Phone, status: OutStatus, now: number, errors?: Json[]): Json {
    const s: Json = { id: msg.id, status, timestamp: seconds(now), recipient_id: msg.to };
    const opaque = msg.request['biz_opaque_callback_data'];
    if (typeof opaque === 'string') s['biz_opaque_callback_data'] = opaque;
    if (errors) {
      s['errors'] = errors;
      return s;
    }
    const category = (msg.templateCategory ?? 'service').toLowerCase();
    const window = this.store.window(phone.id, msg.to);
    const freeEntry = window !== undefined && window.freeEntryUntil > msg.createdAt;
    if (this.config.pricingModel === 'CBP') {
      // Pre-July-2025 payloads: conversation and pricing on every status, expiry only on `sent`.
      s['conversation'] = this.conversation(phone.id, msg, category, status === 'sent');
      s['pricing'] = { billable: true, pricing_model: 'CBP', category };
      return s;
    }
    const carriesPricing =
      status === 'sent' || (!msg.pricingSent && (status === 'delivered' || status === 'read'));
    if (!carriesPricing) return s;
    if (status !== 'sent') msg.pricingSent = true;
    if (freeEntry)
      s['conversation'] = this.conversation(phone.id, msg, 'referral_conversion', status === 'sent');
    const inWindow = window !== undefined && window.lastInboundAt > msg.createdAt - DAY;
    const type = freeEntry
      ? 'free_entry_point'
      : category === 'service' || (category === 'utility' && inWindow)
        ? 'free_customer_service'
        : 'regular';
    s['pricing'] = { billable: type === 'regular', pricing_model: 'PMP', type, category };
    return s;
  }

  private conversation(phoneId: string, msg: OutMessage, origin: string, withExpiry: boolean): Json {
    const key = `${phoneId}:${msg.to}:${origin}`;
    let c = this.conversations.get(key);
    if (!c || c.expires <= msg.createdAt) {
      c = { id: this.ids.hex(32), expires: msg.createdAt + DAY };
      this.conversations.set(key, c);
    }
    const conv: Json = { id: c.id };
    if (withExpiry) conv['expiration_timestamp'] = seconds(c.expires);
    conv['origin'] = { type: origin };
    return conv;
  }
}

function rank(s: OutStatus): number {
  return ['accepted', 'sent', 'delivered', 'read', 'played', 'failed'].indexOf(s);
}
