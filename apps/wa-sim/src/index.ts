import type { z } from 'zod';
import {
  simConfigSchema,
  type CustomerConfig,
  type Faults,
  type SimConfigInput,
  type Tier,
} from './config.ts';
import { inboundSchema } from './inbound.ts';
import { LoadRunner, type LoadOptions, type LoadStatus } from './load-mode.ts';
import { buildServer } from './server.ts';
import type { FailNextInput, GraphCall, GraphCallKind, PendingError } from './scripted-errors.ts';
import { SimCore, type OutboxEntry } from './sim-core.ts';
import type {
  DeliveryRecord,
  DispatcherStats,
  VerificationState,
  WebhookSettings,
} from './webhook/dispatcher.ts';

// Library entry point: `startSimulator()` runs the simulator in-process (the server's demo and tests
// use it); the CLI is a thin wrapper around it.

export type {
  SimConfigInput,
  OutboxEntry,
  LoadOptions,
  LoadStatus,
  DeliveryRecord,
  DispatcherStats,
  VerificationState,
  Faults,
  Tier,
  FailNextInput,
  GraphCall,
  GraphCallKind,
  PendingError,
};
export { serializeEscaped, signBody } from './webhook/sign.ts';

export interface SimulatorOptions extends SimConfigInput {
  /** 0 (default) picks a free port. The simulator always binds 127.0.0.1. */
  port?: number;
  /** Shorthands for `webhook.url`, `webhook.appSecret`, `webhook.verifyToken`. */
  webhookUrl?: string;
  appSecret?: string;
  verifyToken?: string;
}

export interface BusinessInfo {
  wabaId: string;
  name: string;
  accessToken: string;
  phoneNumbers: { id: string; displayPhoneNumber: string; verifiedName: string }[];
}

export type InboundRequest = z.input<typeof inboundSchema>;

export interface Simulator {
  /** e.g. `http://127.0.0.1:4123`; use `${url}/v24.0` as the Graph base URL. */
  url: string;
  port: number;
  businesses: BusinessInfo[];
  webhook: { appSecret: string; verifyToken: string };
  /** A customer sends a message (same body as `POST /_sim/v1/inbound`). */
  inbound(input: InboundRequest): { id: string };
  outbox(filter?: { phoneNumberId?: string; to?: string; since?: number }): OutboxEntry[];
  /** The customer reads the chat: `read` statuses for every unread business message. */
  read(phoneNumberId: string, from: string): number;
  played(messageId: string): boolean;
  setWebhook(patch: Partial<WebhookSettings>): Promise<VerificationState>;
  setFaults(patch: Partial<Faults>): Faults;
  /**
   * Refuses the next `times` (default 1) Graph calls of `kind` (`message`, `read` or `media`) with
   * Meta's error `code`; answers how many refusals are pending in all.
   */
  failNext(input: FailNextInput): number;
  /** The message, read-mark and upload calls Graph took (after authentication), oldest first. */
  graphCalls(filter?: { kind?: GraphCallKind; phoneNumberId?: string }): GraphCall[];
  setLimits(
    phoneNumberId: string,
    patch: { throughputMps?: number; tier?: Tier; qualityRating?: string },
  ): void;
  upsertCustomer(customer: Partial<CustomerConfig> & { waId: string }): void;
  advanceClock(ms: number): void;
  now(): number;
  startLoad(options: LoadOptions): LoadStatus;
  /** Resolves once every queued webhook has been delivered (200) or dropped. */
  whenWebhooksIdle(): Promise<void>;
  webhookStats(): DispatcherStats;
  deliveries(limit?: number): DeliveryRecord[];
  /** Escape hatch for tests that need internals. */
  core: SimCore;
  close(): Promise<void>;
}

/** Fills in one business (WABA, one number, a token) when the config defines none. */
function withDefaultBusiness(config: ReturnType<typeof simConfigSchema.parse>, core: SimCore): void {
  if (config.businesses.length > 0) return;
  const ids = core.ids;
  core.store.addBusiness({
    wabaId: ids.numeric(15),
    name: 'Switchboard Demo',
    accessToken: `EAAG${ids.hex(40)}`,
    messagingLimitTier: 'TIER_250',
    templates: [],
    phoneNumbers: [
      {
        id: ids.numeric(15),
        displayPhoneNumber: `1555${ids.numeric(7)}`,
        verifiedName: 'Switchboard Demo',
        qualityRating: 'GREEN',
        throughputMps: 80,
        registered: true,
      },
    ],
  });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { port = 0, webhookUrl, appSecret, verifyToken, ...rest } = options;
  const config = simConfigSchema.parse({
    ...rest,
    webhook: {
      ...rest.webhook,
      ...(webhookUrl !== undefined ? { url: webhookUrl } : {}),
      ...(appSecret !== undefined ? { appSecret } : {}),
      ...(verifyToken !== undefined ? { verifyToken } : {}),
    },
  });
  const core = new SimCore(config);
  withDefaultBusiness(config, core);
  const load = new LoadRunner(core);
  const app = buildServer(core, load);
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://127.0.0.1:${actualPort}`;
  core.baseUrl = url;
  await core.dispatcher.verify();

  return {
    url,
    port: actualPort,
    businesses: core.store.businesses.map((b) => ({
      wabaId: b.wabaId,
      name: b.name,
      accessToken: b.accessToken,
      phoneNumbers: b.phones.map((p) => ({
        id: p.id,
        displayPhoneNumber: p.display,
        verifiedName: p.verifiedName,
      })),
    })),
    webhook: { appSecret: config.webhook.appSecret, verifyToken: config.webhook.verifyToken },
    inbound: (input) => core.inbound(parseInbound(input)),
    outbox: (filter = {}) => core.outbox(filter),
    read: (phoneNumberId, from) => core.statuses.readAll(phoneNumberId, from),
    played: (messageId) => core.statuses.played(messageId),
    setWebhook: (patch) => core.dispatcher.configure(patch),
    setFaults: (patch) => core.setFaults(patch),
    failNext: (input) => core.scripted.add(input),
    graphCalls: (filter) => core.graphCalls.list(filter),
    setLimits: (phoneNumberId, patch) => core.setLimits(phoneNumberId, patch),
    upsertCustomer: (c) => {
      const existing = core.store.customers.get(c.waId);
      core.store.upsertCustomer({
        onWhatsApp: existing?.onWhatsApp ?? true,
        marketingOptOut: existing?.marketingOptOut ?? false,
        marketingExperiment: existing?.marketingExperiment ?? false,
        ...c,
      });
    },
    advanceClock: (ms) => core.clock.advance(ms),
    now: () => core.clock.now(),
    startLoad: (o) => load.start(o),
    whenWebhooksIdle: () => core.dispatcher.whenIdle(),
    webhookStats: () => core.dispatcher.stats(),
    deliveries: (limit) => core.dispatcher.deliveries(limit),
    core,
    async close() {
      load.stopAll();
      core.close();
      await app.close();
    },
  };
}

function parseInbound(input: InboundRequest): z.output<typeof inboundSchema> {
  return inboundSchema.parse(input);
}
