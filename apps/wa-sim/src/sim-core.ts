import { createHmac } from 'node:crypto';
import { createClock, type Clock } from './clock.ts';
import { MAX_MPS, MIN_MPS, faultsSchema, type Faults, type SimConfig, type Tier } from './config.ts';
import { buildInboundMessage, type InboundInput } from './inbound.ts';
import { MessagingLimitTracker, PairLimiter, ThroughputLimiter } from './limits.ts';
import { createIdSource, createRandom, type IdSource, type Random } from './random.ts';
import { SendService } from './send/send-service.ts';
import { StatusEngine, buildContact } from './statuses.ts';
import { GraphError } from './graph-error.ts';
import { GraphCallLog, ScriptedErrors, type GraphCallKind } from './scripted-errors.ts';
import { Store, type Json, type MediaObject, type OutMessage } from './store.ts';
import { TemplateService, normalizeComponents } from './templates.ts';
import { WebhookDispatcher } from './webhook/dispatcher.ts';

// Everything the simulator does, without HTTP: the Fastify routes and the library API both call this.

export interface OutboxEntry {
  id: string;
  phoneNumberId: string;
  to: string;
  type: string;
  status: string;
  statuses: { status: string; timestamp: number; errors?: Json[] }[];
  createdAt: number;
  request: Json;
}

export class SimCore {
  readonly clock: Clock;
  readonly random: Random;
  readonly ids: IdSource;
  readonly store: Store;
  readonly dispatcher: WebhookDispatcher;
  readonly statuses: StatusEngine;
  readonly sender: SendService;
  readonly templates: TemplateService;
  readonly throughput = new ThroughputLimiter();
  /** Errors scripted for the next Graph calls (`failNext`). */
  readonly scripted = new ScriptedErrors();
  /** The message, read-mark and upload calls Graph took, with their answers. */
  readonly graphCalls = new GraphCallLog();
  readonly config: SimConfig;
  /** Base URL of the HTTP server, set once it listens (media URLs need it). */
  baseUrl = 'http://127.0.0.1';
  private readonly urlKey: string;

  constructor(config: SimConfig) {
    this.config = config;
    this.random = createRandom(config.seed);
    this.ids = createIdSource(this.random);
    const startMs = config.clock.start ? Date.parse(config.clock.start) : undefined;
    this.clock = createClock({ mode: config.clock.mode, ...(startMs !== undefined ? { startMs } : {}) });
    this.store = new Store(this.ids);
    this.urlKey = this.ids.hex(32);
    const w = config.webhook;
    this.dispatcher = new WebhookDispatcher(
      {
        url: w.url,
        appSecret: w.appSecret,
        verifyToken: w.verifyToken,
        skipVerification: w.skipVerification,
        batchSize: w.batchSize,
        batchWindowMs: w.batchWindowMs,
        concurrency: w.concurrency,
        retryDelaysMs: w.retryDelaysMs,
        maxAgeMs: w.maxAgeMs,
        timeoutMs: w.timeoutMs,
      },
      config.faults,
      this.random.seed,
      this.clock,
    );
    this.statuses = new StatusEngine(this.store, this.clock, this.ids, this.dispatcher, config);
    this.templates = new TemplateService(this.store, this.clock, this.dispatcher, config);
    this.sender = new SendService({
      store: this.store,
      clock: this.clock,
      ids: this.ids,
      statuses: this.statuses,
      throughput: this.throughput,
      pairs: new PairLimiter(config.pairRate.burst, config.pairRate.intervalMs),
      tiers: new MessagingLimitTracker(),
      sendFault: () => this.sendFault(),
    });
    for (const b of config.businesses) {
      this.store.addBusiness(b);
      for (const t of b.templates)
        this.store.addTemplate(b.wabaId, { ...t, components: normalizeComponents(t.components) });
    }
    for (const c of config.customers) this.store.upsertCustomer(c);
    for (const g of config.groups) this.store.groups.set(g.id, g.participants);
  }

  private sendFaults = 0;
  private sendFaultRandom: Random | undefined;

  /** Faults: refuses a send now and then with a transient error (130429, 131000, 131016 in turn). */
  private sendFault(): GraphError | undefined {
    const { sendErrorRate, seed } = this.dispatcher.getFaults();
    if (sendErrorRate <= 0) return undefined;
    this.sendFaultRandom ??= createRandom(seed ?? this.random.seed);
    if (this.sendFaultRandom.next() >= sendErrorRate) return undefined;
    const turn = this.sendFaults++ % 3;
    if (turn === 0)
      return new GraphError(130429, 'Cloud API message throughput has been reached.', { subcode: 2494055 });
    if (turn === 1) return new GraphError(131000, 'Something went wrong (injected fault).');
    return new GraphError(131016, 'Service unavailable (injected fault).');
  }

  /**
   * Runs one Graph call of `kind` for a number and logs its answer. `fn` calls `fault()` where a
   * scripted error applies (after reading the request, as Meta would), which throws it if one is due.
   */
  async graphCall<T>(
    kind: GraphCallKind,
    phoneNumberId: string,
    fn: (fault: () => void) => T | Promise<T>,
  ): Promise<T> {
    const at = this.clock.now();
    let scripted = false;
    const fault = () => {
      const err = this.scripted.take(kind, phoneNumberId);
      scripted = err !== undefined;
      if (err) throw err;
    };
    try {
      const out = await fn(fault);
      this.graphCalls.record({ kind, phoneNumberId, at, status: 200, scripted: false });
      return out;
    } catch (err) {
      const graphErr = err instanceof GraphError ? err : undefined;
      this.graphCalls.record({
        kind,
        phoneNumberId,
        at,
        status: graphErr?.http ?? 500,
        ...(graphErr ? { code: graphErr.code } : {}),
        scripted,
      });
      throw err;
    }
  }

  /** A customer sends a message to a business number. */
  inbound(input: InboundInput): { id: string } {
    const phone = this.store.phones.get(input.phoneNumberId);
    if (!phone) throw new Error(`unknown phoneNumberId ${input.phoneNumberId}`);
    const customer = this.store.customer(input.from, input.name);
    const now = this.clock.now();
    const id = input.id ?? this.ids.wamid();
    const message = buildInboundMessage(input, id, {
      now,
      newMediaId: () => this.ids.numeric(16),
      storeMedia: (m) => this.store.media.set(m.id, m),
      mediaUrl: (mediaId) => {
        const media = this.store.media.get(mediaId);
        const wanted = input.mediaUrl ?? this.config.inboundMediaUrl;
        return wanted && media ? this.mediaUrl(media, 7 * 24 * 3600_000) : undefined;
      },
      contextFrom: (quoted) => this.store.inbox.get(quoted)?.from ?? phone.display,
      lastBusinessMessage: (type) => this.lastBusinessMessage(phone.id, input.from, type),
      displayNumber: phone.display,
      customerName: customer.name,
      userId: customer.userId,
    });
    this.store.recordInbound({
      id,
      phoneNumberId: phone.id,
      from: input.from,
      type: input.type,
      message,
      createdAt: now,
      readByBusiness: false,
    });
    const sys = message['system'] as Json | undefined;
    const changedNumber = sys?.['type'] === 'user_changed_number' ? String(sys['wa_id']) : undefined;
    if (changedNumber) this.store.upsertCustomer({ ...customer, waId: changedNumber });
    this.store.openWindow(phone.id, changedNumber ?? input.from, now, input.referral !== undefined);
    if (this.config.throughputCountsInbound)
      this.throughput.tryTake(phone.id, phone.throughputMps, now, true);
    this.dispatcher.enqueue({
      wabaId: phone.business.wabaId,
      field: 'messages',
      phone: { id: phone.id, display: phone.display },
      // A number-change system message has no contacts array.
      ...(changedNumber ? {} : { contact: buildContact(customer, input.bsuid ?? this.config.bsuid) }),
      message,
      ...(input.valueErrors ? { errors: input.valueErrors } : {}),
    });
    return { id };
  }

  private lastBusinessMessage(phoneId: string, waId: string, type: string): string | undefined {
    let found: string | undefined;
    for (const m of this.store.outbox.values()) {
      if (m.phoneNumberId === phoneId && m.to === waId && m.type === type) found = m.id;
    }
    return found;
  }

  outbox(filter: { phoneNumberId?: string; to?: string; since?: number }): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    for (const m of this.store.outbox.values()) {
      if (filter.phoneNumberId !== undefined && m.phoneNumberId !== filter.phoneNumberId) continue;
      if (filter.to !== undefined && m.to !== filter.to) continue;
      if (filter.since !== undefined && m.createdAt < filter.since) continue;
      out.push(toEntry(m));
    }
    return out;
  }

  /** A signed, expiring download URL for a media object (Meta: 5 minutes from `GET /{media-id}`). */
  mediaUrl(media: MediaObject, ttlMs = 5 * 60_000): string {
    const exp = this.clock.now() + ttlMs;
    const sig = createHmac('sha256', this.urlKey).update(`${media.id}:${exp}`).digest('hex').slice(0, 32);
    return `${this.baseUrl}/_sim/lookaside/whatsapp_business/attachments/?mid=${media.id}&ext=${exp}&hash=${sig}`;
  }

  /** Checks a download URL's signature and expiry. */
  checkMediaUrl(mid: string, exp: string, hash: string): MediaObject | undefined {
    const expected = createHmac('sha256', this.urlKey).update(`${mid}:${exp}`).digest('hex').slice(0, 32);
    if (expected !== hash || Number(exp) < this.clock.now()) return undefined;
    return this.store.media.get(mid);
  }

  setFaults(patch: Partial<Faults>): Faults {
    const faults = faultsSchema.parse({ ...this.dispatcher.getFaults(), ...patch });
    this.dispatcher.setFaults(faults, this.random.seed);
    return faults;
  }

  setLimits(
    phoneNumberId: string,
    patch: { throughputMps?: number; tier?: Tier; qualityRating?: string },
  ): void {
    const phone = this.store.phones.get(phoneNumberId);
    if (!phone) throw new Error(`unknown phoneNumberId ${phoneNumberId}`);
    const mps = patch.throughputMps;
    if (mps !== undefined && (!Number.isInteger(mps) || mps < MIN_MPS || mps > MAX_MPS)) {
      throw new RangeError(
        `throughputMps must be an integer from ${MIN_MPS} to ${MAX_MPS} (Meta's maximum per number), got ${mps}`,
      );
    }
    if (mps !== undefined) phone.throughputMps = mps;
    if (patch.tier !== undefined) phone.business.tier = patch.tier;
    if (patch.qualityRating !== undefined) phone.qualityRating = patch.qualityRating;
  }

  close(): void {
    this.dispatcher.close();
    this.clock.dispose();
  }
}

function toEntry(m: OutMessage): OutboxEntry {
  return {
    id: m.id,
    phoneNumberId: m.phoneNumberId,
    to: m.to,
    type: m.type,
    status: m.status,
    statuses: m.statuses,
    createdAt: m.createdAt,
    request: m.request,
  };
}
