import type { BusinessConfig, CustomerConfig, PhoneNumberConfig, TemplateInput, Tier } from './config.ts';
import type { IdSource } from './random.ts';

// In-memory state of the simulated WhatsApp world: businesses and their numbers, customers, what was
// sent each way, media and templates. Nothing is persisted; a restart is a fresh world.

export type Json = Record<string, unknown>;

export interface Phone {
  id: string;
  display: string;
  verifiedName: string;
  qualityRating: string;
  throughputMps: number;
  registered: boolean;
  business: Business;
}

export interface Business {
  wabaId: string;
  name: string;
  accessToken: string;
  tier: Tier;
  phones: Phone[];
}

export interface Customer {
  waId: string;
  name: string;
  username: string | undefined;
  onWhatsApp: boolean;
  marketingOptOut: boolean;
  marketingExperiment: boolean;
  userId: string;
  parentUserId: string;
}

export type OutStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface StatusRecord {
  status: OutStatus;
  timestamp: number;
  errors?: Json[];
}

export interface OutMessage {
  id: string;
  phoneNumberId: string;
  to: string;
  type: string;
  /** The request body as the business sent it. */
  request: Json;
  createdAt: number;
  /** Order of recording across both directions (set by the store), to sort same-millisecond chats. */
  seq?: number;
  status: OutStatus;
  statuses: StatusRecord[];
  templateCategory: string | undefined;
  /** Statuses still allowed to carry pricing (sent + one of delivered/read). */
  pricingSent: boolean;
}

export interface InMessage {
  id: string;
  phoneNumberId: string;
  from: string;
  type: string;
  /** The `messages[]` object as delivered in the webhook. */
  message: Json;
  createdAt: number;
  /** Order of recording across both directions (set by the store). */
  seq?: number;
  /** Set when the business marks it (or a later message) read. */
  readByBusiness: boolean;
}

export interface MediaObject {
  id: string;
  phoneNumberId: string;
  mimeType: string;
  bytes: Buffer;
  sha256Hex: string;
  sha256Base64: string;
  filename: string | undefined;
  createdAt: number;
}

export interface Template {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string;
  status: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: Json[];
  rejectedReason: string | undefined;
}

export interface Window {
  lastInboundAt: number;
  /** End of the 72 h free-entry-point window opened by a click-to-WhatsApp referral. */
  freeEntryUntil: number;
}

const OUTBOX_LIMIT = 200_000;

export class Store {
  readonly businesses: Business[] = [];
  readonly phones = new Map<string, Phone>();
  readonly customers = new Map<string, Customer>();
  readonly outbox = new Map<string, OutMessage>();
  readonly inbox = new Map<string, InMessage>();
  readonly media = new Map<string, MediaObject>();
  readonly templates = new Map<string, Template>();
  readonly windows = new Map<string, Window>();
  /** Group id → participant wa_ids. */
  readonly groups = new Map<string, string[]>();
  private readonly ids: IdSource;
  private seq = 0;

  constructor(ids: IdSource) {
    this.ids = ids;
  }

  addBusiness(config: BusinessConfig): Business {
    const business: Business = {
      wabaId: config.wabaId,
      name: config.name,
      accessToken: config.accessToken,
      tier: config.messagingLimitTier,
      phones: [],
    };
    for (const p of config.phoneNumbers) business.phones.push(this.addPhone(business, p));
    this.businesses.push(business);
    return business;
  }

  private addPhone(business: Business, p: PhoneNumberConfig): Phone {
    const phone: Phone = {
      id: p.id,
      display: p.displayPhoneNumber,
      verifiedName: p.verifiedName,
      qualityRating: p.qualityRating,
      throughputMps: p.throughputMps,
      registered: p.registered,
      business,
    };
    this.phones.set(phone.id, phone);
    return phone;
  }

  addTemplate(wabaId: string, t: Omit<TemplateInput, 'components'> & { components: Json[] }): Template {
    const template: Template = {
      // Meta's template ids are 16 digits starting with 1, so `Number(id)` (the integer
      // `message_template_id` of status webhooks) is exact: below 2^53.
      id: t.id ?? `1${this.ids.numeric(15)}`,
      wabaId,
      name: t.name,
      language: t.language,
      category: t.category,
      status: t.status.toUpperCase(),
      parameterFormat: t.parameter_format ?? 'POSITIONAL',
      components: t.components,
      rejectedReason: undefined,
    };
    this.templates.set(template.id, template);
    return template;
  }

  findTemplate(wabaId: string, name: string, language: string): Template | undefined {
    for (const t of this.templates.values()) {
      if (t.wabaId === wabaId && t.name === name && t.language === language) return t;
    }
    return undefined;
  }

  /** Returns the customer, creating a default one for numbers nobody configured. */
  customer(waId: string, name?: string): Customer {
    let c = this.customers.get(waId);
    if (!c) {
      c = this.upsertCustomer({
        waId,
        onWhatsApp: true,
        marketingOptOut: false,
        marketingExperiment: false,
        ...(name ? { name } : {}),
      });
    } else if (name) c.name = name;
    return c;
  }

  upsertCustomer(config: CustomerConfig): Customer {
    const existing = this.customers.get(config.waId);
    const c: Customer = {
      waId: config.waId,
      name: config.name ?? existing?.name ?? `Customer ${config.waId.slice(-4)}`,
      username: config.username ?? existing?.username,
      onWhatsApp: config.onWhatsApp,
      marketingOptOut: config.marketingOptOut,
      marketingExperiment: config.marketingExperiment,
      userId: existing?.userId ?? this.ids.userId(),
      parentUserId: existing?.parentUserId ?? this.ids.userId('US.ENT.'),
    };
    this.customers.set(c.waId, c);
    return c;
  }

  window(phoneNumberId: string, waId: string): Window | undefined {
    return this.windows.get(`${phoneNumberId}:${waId}`);
  }

  openWindow(phoneNumberId: string, waId: string, at: number, freeEntry: boolean): void {
    const key = `${phoneNumberId}:${waId}`;
    const w = this.windows.get(key) ?? { lastInboundAt: at, freeEntryUntil: 0 };
    w.lastInboundAt = at;
    if (freeEntry) w.freeEntryUntil = at + 72 * 3600_000;
    this.windows.set(key, w);
  }

  recordOutbound(m: OutMessage): void {
    m.seq = this.seq++;
    this.outbox.set(m.id, m);
    if (this.outbox.size > OUTBOX_LIMIT) {
      const oldest = this.outbox.keys().next();
      if (!oldest.done) this.outbox.delete(oldest.value);
    }
  }

  recordInbound(m: InMessage): void {
    m.seq = this.seq++;
    this.inbox.set(m.id, m);
    if (this.inbox.size > OUTBOX_LIMIT) {
      const oldest = this.inbox.keys().next();
      if (!oldest.done) this.inbox.delete(oldest.value);
    }
  }

  /** Finds the business that owns a token, or undefined (→ error 190). */
  businessByToken(token: string): Business | undefined {
    return this.businesses.find((b) => b.accessToken === token);
  }
}
