// Composition root: config -> database -> services -> routes and jobs. No globals: everything a
// piece needs is handed to it here.
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { systemClock, type Clock, type ShiftedClock } from './platform/clock.ts';
import type { Database } from './platform/db/database.ts';
import type { Authenticator } from './platform/auth/principal.ts';
import { registerHealthRoutes } from './platform/http/health.routes.ts';
import { registerMetrics } from './platform/http/metrics.ts';
import { registerTestClockRoutes } from './platform/http/test-clock.routes.ts';
import { createHttpServer, withZod } from './platform/http/server.ts';
import type { JobQueue } from './platform/jobs/job-queue.ts';
import { createPgBossQueue } from './platform/jobs/pg-boss-queue.ts';
import type { Logger } from './platform/logger.ts';
import { createMailService } from './platform/mail/mail.service.ts';
import { createSmtpTransport, type MailTransport } from './platform/mail/mailer.ts';
import { createSecretBox } from './platform/security/secret-box.ts';
import { createAccountService } from './modules/auth/account.service.ts';
import { registerAuthRoutes } from './modules/auth/auth.routes.ts';
import { createAuthService } from './modules/auth/auth.service.ts';
import { registerApiKeyRoutes } from './modules/api-keys/api-keys.routes.ts';
import { createApiKeysService } from './modules/api-keys/api-keys.service.ts';
import { registerAuditRoutes } from './modules/audit/audit.routes.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { registerOperatorRoutes } from './modules/operators/operators.routes.ts';
import { createOperatorsService } from './modules/operators/operators.service.ts';
import { registerOrganizationRoutes } from './modules/organizations/organizations.routes.ts';
import { createOrganizationsService } from './modules/organizations/organizations.service.ts';
import { registerUsersRoutes } from './modules/users/users.routes.ts';
import { createUsersService } from './modules/users/users.service.ts';
import { registerWhatsappNumberRoutes } from './modules/whatsapp/numbers.routes.ts';
import { createNumbersService } from './modules/whatsapp/numbers.service.ts';
import { registerWebApp } from './platform/http/web-app.ts';
import { createInboundService } from './modules/conversations/inbound.service.ts';
import { createIntakeService } from './modules/whatsapp/intake.service.ts';
import { registerWebhookRoutes } from './modules/whatsapp/webhook.routes.ts';
import { createGraphClient } from './modules/whatsapp/graph-client.ts';
import type { WhatsappNumberRow } from './modules/whatsapp/numbers.repo.ts';
import { createMediaService } from './modules/whatsapp/media.service.ts';
import { registerMediaRoutes } from './modules/whatsapp/media.routes.ts';
import { createFsBlobStore } from './platform/blobs/blob-store.ts';
import { createRealtimeBus, type RealtimeBus } from './platform/realtime/realtime-bus.ts';
import { createRealtimeGateway } from './platform/realtime/realtime.gateway.ts';
import { registerRealtimeRoutes } from './platform/realtime/realtime.routes.ts';
import { registerConversationRoutes } from './modules/conversations/conversations.routes.ts';
import { createConversationsService } from './modules/conversations/conversations.service.ts';
import { registerConversationBulkRoutes } from './modules/conversations/conversations-bulk.routes.ts';
import { createConversationsBulkService } from './modules/conversations/conversations-bulk.service.ts';
import { registerContactRoutes } from './modules/contacts/contacts.routes.ts';
import { createContactsService } from './modules/contacts/contacts.service.ts';
import { registerContactAttributeRoutes } from './modules/contacts/contact-attributes.routes.ts';
import { createContactAttributesService } from './modules/contacts/contact-attributes.service.ts';
import { createContactMergeService } from './modules/contacts/contact-merge.service.ts';
import { registerContactNoteRoutes } from './modules/contacts/contact-notes.routes.ts';
import { createContactNotesService } from './modules/contacts/contact-notes.service.ts';
import { registerLabelRoutes } from './modules/labels/labels.routes.ts';
import { createLabelsService } from './modules/labels/labels.service.ts';
import { registerSearchRoutes } from './modules/search/search.routes.ts';
import { createSearchService } from './modules/search/search.service.ts';
import { registerNoteRoutes } from './modules/conversations/notes.routes.ts';
import { createNotesService } from './modules/conversations/notes.service.ts';
import { registerNotificationRoutes } from './modules/notifications/notifications.routes.ts';
import { createNotificationsService } from './modules/notifications/notifications.service.ts';
import { registerCannedResponseRoutes } from './modules/canned-responses/canned-responses.routes.ts';
import { createCannedResponsesService } from './modules/canned-responses/canned-responses.service.ts';
import { registerTeamRoutes } from './modules/teams/teams.routes.ts';
import { createTeamsService } from './modules/teams/teams.service.ts';
import { templateGraphFor } from './modules/templates/template-graph.ts';
import { createTemplateSync } from './modules/templates/template-sync.ts';
import { createTemplateWebhooks } from './modules/templates/template-webhooks.ts';
import { registerTemplateRoutes } from './modules/templates/templates.routes.ts';
import { createTemplatesService } from './modules/templates/templates.service.ts';
import { createGraphCaller } from './modules/whatsapp/graph-http.ts';
import { createDelivery, type DeliveryOptions } from './modules/outbound/delivery.ts';
import { createOutboundService } from './modules/outbound/outbound.service.ts';
import { registerOutboundRoutes } from './modules/outbound/outbound.routes.ts';
import { createReadReceipts } from './modules/outbound/read-receipts.ts';
import { createAttachments } from './modules/outbound/attachments.ts';
import { registerAttachmentRoutes } from './modules/outbound/attachments.routes.ts';

export interface AppOptions {
  config: Config;
  database: Database;
  /** The key that encrypts secrets at rest and signs CSRF tokens. */
  secretKey: string;
  clock?: Clock;
  /**
   * A clock that POST /_test/clock/advance moves forward (`start --demo --test-clock`, end-to-end
   * tests only); it replaces `clock`. Without it that route does not exist.
   */
  testClock?: ShiftedClock;
  /** Overrides the SMTP transport built from config (tests pass a real SMTP peer's). */
  mailTransport?: MailTransport;
  /** What this process does; default `config.roles` (ADR 0007). */
  roles?: Config['roles'];
  /** false: works no jobs and keeps no schedules whatever the roles say (CLI commands, tests). */
  worker?: boolean;
  /** Overrides of the delivery engine's pacing and leases (tests). */
  delivery?: Partial<DeliveryOptions>;
}

export interface SwitchboardApp {
  http: FastifyInstance;
  database: Database;
  queue: JobQueue;
  services: ReturnType<typeof createServices>;
  log: Logger;
  /** Starts the job queue; call before listening. */
  start(): Promise<void>;
  /** Stops accepting, finishes in-flight requests and jobs, closes the database. */
  close(): Promise<void>;
}

/** Whether this process runs the workers (set at start): wake-ups are then local calls. */
interface WorkerState {
  running: boolean;
}

function createServices(
  options: AppOptions,
  queue: JobQueue,
  realtime: RealtimeBus,
  log: Logger,
  workers: WorkerState,
) {
  const { config, database } = options;
  const clock = options.testClock ?? options.clock ?? systemClock;
  const secretBox = createSecretBox(options.secretKey);
  const transport =
    options.mailTransport ?? (config.smtpUrl ? createSmtpTransport(config.smtpUrl) : undefined);
  const mail = createMailService({ database, queue, transport, from: config.mailFrom, clock, log });
  const audit = createAuditService({ database, clock });
  const organizations = createOrganizationsService({ database, clock, audit });
  const auth = createAuthService({ database, clock, audit, secretBox });
  const account = createAccountService({
    database,
    clock,
    audit,
    mail,
    secretBox,
    auth,
    publicUrl: config.publicUrl,
  });
  const users = createUsersService({ database, clock, audit, mail, auth, publicUrl: config.publicUrl });
  const apiKeys = createApiKeysService({ database, clock, audit });
  const operators = createOperatorsService({ database, clock });
  const numbers = createNumbersService({
    database,
    clock,
    audit,
    secretBox,
    // The intake caches numbers for the signature check: a change here is seen at once.
    onChanged: () => intake.forgetNumbers(),
  });
  const accessTokenOf = (n: WhatsappNumberRow) => numbers.decryptCredentials(n).accessToken;
  const graphCaller = createGraphCaller({ accessTokenOf });
  const blobs = createFsBlobStore(config.blobDir);
  const attachments = createAttachments({ database, clock, blobs, graph: graphCaller });
  const delivery = createDelivery({
    database,
    clock,
    realtime,
    graph: graphCaller,
    attachments,
    log,
    ...(options.delivery ? { options: options.delivery } : {}),
  });
  // Work stored here is claimed by this process's worker at once, else by the workers of other
  // processes, told through the bus (LISTEN/NOTIFY); they also poll, should a notice be lost.
  const wakeDelivery = () => (workers.running ? delivery.wake() : realtime.wake('delivery'));
  const outbound = createOutboundService({
    database,
    clock,
    realtime,
    onQueued: wakeDelivery,
    // Created below; read when a template is sent.
    templates: { prepareTemplateSend: (...args) => templates.prepareTemplateSend(...args) },
  });
  const inbound = createInboundService({ database, clock, realtime, onOutboundQueued: wakeDelivery });
  const graph = createGraphClient({ accessTokenOf });
  const media = createMediaService({ database, queue, clock, realtime, blobs, graph, log });
  const templatesGraph = templateGraphFor((n) => numbers.decryptCredentials(n).accessToken);
  const templates = createTemplatesService({ database, clock, audit, graph: templatesGraph, log });
  const templateSync = createTemplateSync({
    database,
    clock,
    queue,
    graph: templatesGraph,
    callGraph: templates.callGraph,
    log,
    // Hourly; tests sync on demand (a scheduled sync would call every test number's Graph).
    schedule: config.env !== 'test',
  });
  const templateWebhooks = createTemplateWebhooks({
    database,
    clock,
    log,
    requestSync: templateSync.requestSync,
  });
  const intake = createIntakeService({
    database,
    clock,
    secretBox,
    inbound,
    media,
    log,
    fieldHandlers: templateWebhooks.handlers,
    wakeElsewhere: () => realtime.wake('intake'),
  });
  const readReceipts = createReadReceipts({ database, clock, queue, graph: graphCaller, realtime, log });
  const conversations = createConversationsService({
    database,
    clock,
    realtime,
    onRead: (tenantId, id) => readReceipts.conversationRead(tenantId, id),
  });
  const contacts = createContactsService({ database, clock });
  const contactAttributes = createContactAttributesService({ database, clock, audit });
  const contactNotes = createContactNotesService({ database, clock });
  const contactMerge = createContactMergeService({ database, clock, audit, realtime });
  const labels = createLabelsService({ database, clock, audit, realtime });
  const conversationsBulk = createConversationsBulkService({ database, conversations, labels });
  const search = createSearchService({ database });
  const notes = createNotesService({ database, clock, realtime });
  const notifications = createNotificationsService({ database, clock });
  const cannedResponses = createCannedResponsesService({ database, clock, audit });
  const teams = createTeamsService({ database, clock, audit });
  return {
    clock,
    secretBox,
    transport,
    mail,
    audit,
    organizations,
    auth,
    account,
    users,
    apiKeys,
    operators,
    numbers,
    inbound,
    blobs,
    media,
    intake,
    realtime,
    conversations,
    contacts,
    contactAttributes,
    contactNotes,
    contactMerge,
    labels,
    conversationsBulk,
    search,
    notes,
    notifications,
    cannedResponses,
    teams,
    templates,
    templateSync,
    delivery,
    outbound,
    attachments,
  };
}

export async function createApp(options: AppOptions): Promise<SwitchboardApp> {
  const { config, database } = options;
  const authenticator: Authenticator = {
    userSession: (t) => services.auth.authenticator.userSession(t),
    csrfTokenFor: (id) => services.auth.csrfTokenFor(id),
    apiKey: (k) => services.apiKeys.authenticate(k),
    operatorSession: (t) => services.operators.authenticate(t),
  };
  const http = await createHttpServer(config, authenticator);
  const log = http.log;
  const queue = createPgBossQueue(database, log);
  const bus = await createRealtimeBus(database, log);
  const roles =
    options.worker === false
      ? { ...(options.roles ?? config.roles), worker: false, scheduler: false }
      : (options.roles ?? config.roles);
  const workers: WorkerState = { running: false };
  const services = createServices(options, queue, bus, log, workers);
  const gateway = createRealtimeGateway({
    database,
    bus,
    clock: services.clock,
    log,
    conversationExists: (tenantId, id) => services.notes.conversationExists(tenantId, id),
  });

  const app = withZod(http);
  const secureCookies = config.publicUrl.startsWith('https://');
  const metrics = registerMetrics(http, { database, queue, realtime: gateway, intake: services.intake });
  registerHealthRoutes(app, { database, metrics });
  registerAuthRoutes(app, { ...services, secureCookies });
  registerUsersRoutes(app, services);
  registerOrganizationRoutes(app, services);
  registerApiKeyRoutes(app, services);
  registerAuditRoutes(app, services);
  registerWhatsappNumberRoutes(app, { ...services, publicUrl: config.publicUrl });
  registerTemplateRoutes(app, services);
  registerConversationRoutes(app, services);
  registerConversationBulkRoutes(app, services);
  registerContactRoutes(app, services);
  registerContactAttributeRoutes(app, services);
  registerContactNoteRoutes(app, services);
  registerLabelRoutes(app, services);
  registerSearchRoutes(app, services);
  registerNoteRoutes(app, services);
  registerNotificationRoutes(app, services);
  registerCannedResponseRoutes(app, services);
  registerTeamRoutes(app, services);
  registerOutboundRoutes(app, services);
  registerMediaRoutes(app, services);
  registerOperatorRoutes(app, { ...services, csrfTokenFor: services.auth.csrfTokenFor, secureCookies });
  if (options.testClock) registerTestClockRoutes(app, options.testClock);
  await registerWebhookRoutes(http, services);
  await registerAttachmentRoutes(http, services);
  registerRealtimeRoutes(http, { gateway, authenticator, publicUrl: config.publicUrl });
  await registerWebApp(http);

  let closed = false;
  let stopIntake: (() => Promise<void>) | undefined;
  let stopDelivery: (() => Promise<void>) | undefined;
  let stopWakes: (() => void) | undefined;
  return {
    http,
    database,
    queue,
    services,
    log,
    async start() {
      await queue.start({ work: roles.worker, schedule: roles.scheduler });
      if (roles.worker) {
        await services.mail.resumeQueued();
        stopIntake = await services.intake.startWorker();
        stopDelivery = services.delivery.start();
        workers.running = true;
        // Work stored by other processes (API instances), announced on the bus.
        stopWakes = bus.onWake((kind) =>
          kind === 'intake' ? services.intake.wake() : services.delivery.wake(),
        );
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await http.close(); // closes realtime sockets with 1001 first
      stopWakes?.();
      workers.running = false;
      await stopIntake?.(); // finishes the batch in hand (it may queue media downloads)
      await stopDelivery?.(); // records the outcome of every send in flight
      await queue.stop();
      await gateway.close();
      await bus.close();
      services.transport?.close();
      await database.close();
    },
  };
}
