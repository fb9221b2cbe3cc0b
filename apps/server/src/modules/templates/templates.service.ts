// Message templates of a number's WhatsApp Business Account: listed from our copy, created,
// edited and deleted through Graph (our copy follows Meta's answer), previewed with parameters,
// and checked before a send (`prepareTemplateSend`, called by the outbound engine).
import type {
  CreateTemplateRequest,
  TemplateParameters,
  TemplateSend,
  UpdateTemplateRequest,
} from '@switchboard/contracts';
import type { Actor } from '../../platform/auth/principal.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError, orNotFound, type FieldIssue } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { attachmentsRepo, unfitFor } from '../outbound/attachments.ts';
import { numbersRepo, type WhatsappNumberRow } from '../whatsapp/numbers.repo.ts';
import { checkDefinition } from './template-definition.ts';
import { graphFailure, type TemplateGraph } from './template-graph.ts';
import {
  planSend,
  type GraphSendComponent,
  type MediaKind,
  type RenderedTemplate,
} from './template-render.ts';
import { normalizeComponents, shapeOf } from './template-shape.ts';
import { templatesRepo, type TemplateFilter, type TemplateRow } from './templates.repo.ts';

/** Only these can be edited (Meta's rule); DISABLED ones cannot be deleted. */
const EDITABLE = ['APPROVED', 'REJECTED', 'PAUSED'];

/** The Cloud API `template` object of a send (contract doc §4). */
export interface GraphTemplateMessage {
  name: string;
  language: { code: string };
  components: GraphSendComponent[];
}

export interface PreparedTemplateSend {
  template: TemplateRow;
  graphTemplate: GraphTemplateMessage;
  rendered: RenderedTemplate;
  /** A MARKETING template: refused to clients who opted out of marketing messages. */
  marketing: boolean;
}

/** Turns a send's `attachmentId` into what Graph takes: an uploaded media id or a link. */
export type ResolveMedia = (attachmentId: string) => Promise<{ id: string } | { link: string }>;

export interface TemplatePage {
  items: TemplateRow[];
  nextCursor: string | null;
}

const refuse = (message: string, issues: FieldIssue[]) =>
  new AppError('unprocessable_content', message, { errors: issues });

function encodeCursor(row: TemplateRow): string {
  return Buffer.from(JSON.stringify([row.name, row.language])).toString('base64url');
}
function decodeCursor(cursor: string): { name: string; language: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { name: value[0] as string, language: value[1] as string };
    }
  } catch {
    // falls through
  }
  throw new AppError('validation_failed', 'The cursor is not valid.', {
    errors: [{ path: 'query.cursor', message: 'Not a cursor from this list' }],
  });
}

/** What the audit log shows of a template. */
const auditView = (r: TemplateRow) => ({
  name: r.name,
  language: r.language,
  category: r.category,
  status: r.status,
  externalId: r.externalId,
  wabaId: r.wabaId,
  parameterFormat: r.parameterFormat,
  components: r.components,
});

export function createTemplatesService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
  graph: TemplateGraph;
  log: Logger;
}) {
  const { database, clock, audit, graph, log } = deps;

  async function numberOf(tenantId: string, numberId: string): Promise<WhatsappNumberRow> {
    return orNotFound(
      await database.tenant(tenantId, (tx) => numbersRepo(tx).findById(tenantId, numberId)),
      'WhatsApp number not found.',
    );
  }

  async function templateOf(tenantId: string, numberId: string, templateId: string) {
    return database.tenant(tenantId, async (tx) => {
      const number = orNotFound(
        await numbersRepo(tx).findById(tenantId, numberId),
        'WhatsApp number not found.',
      );
      const template = orNotFound(
        await templatesRepo(tx).findById(tenantId, number.wabaId, templateId),
        'Template not found.',
      );
      return { number, template };
    });
  }

  /** Runs a Graph call; a rejected token (190) also flags the number for an admin. */
  async function callGraph<T>(
    tenantId: string,
    number: WhatsappNumberRow,
    to: string,
    call: () => Promise<T>,
  ) {
    try {
      return await call();
    } catch (err) {
      const problem = graphFailure(err, to);
      if (problem instanceof AppError && problem.extensions?.['graphCode'] === 190) {
        await database.tenant(tenantId, (tx) =>
          numbersRepo(tx).update(tenantId, number.id, {
            status: 'needs_attention',
            statusReason: `Meta rejected the access token (error 190) when asked to ${to}. Enter a new token.`,
            updatedAt: clock.now(),
          }),
        );
      }
      log.warn({ tenantId, numberId: number.id, err }, `Graph call to ${to} failed`);
      throw problem;
    }
  }

  async function listTemplates(
    tenantId: string,
    numberId: string,
    query: {
      status?: string | undefined;
      q?: string | undefined;
      cursor?: string | undefined;
      limit: number;
    },
  ): Promise<TemplatePage> {
    const filter: TemplateFilter = {
      status: query.status,
      q: query.q,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    };
    const rows = await database.tenant(tenantId, async (tx) => {
      const number = orNotFound(
        await numbersRepo(tx).findById(tenantId, numberId),
        'WhatsApp number not found.',
      );
      return templatesRepo(tx).list(tenantId, number.wabaId, filter, query.limit + 1);
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  async function createTemplate(
    tenantId: string,
    numberId: string,
    input: CreateTemplateRequest,
    actor: Actor,
  ): Promise<TemplateRow> {
    const components = normalizeComponents(input.components);
    const issues = checkDefinition(components, input.parameterFormat);
    if (issues.length > 0) throw refuse('The template is not valid.', issues);
    const number = await numberOf(tenantId, numberId);
    const existing = await database.tenant(tenantId, (tx) =>
      templatesRepo(tx).findByName(tenantId, number.wabaId, input.name),
    );
    if (existing.some((r) => r.language === input.language)) {
      throw new AppError(
        'conflict',
        `The account already has the template ${input.name} in ${input.language}.`,
        {
          errors: [{ path: 'body.name', message: 'Already exists in this language' }],
        },
      );
    }
    const created = await callGraph(tenantId, number, 'create the template', () =>
      graph.create(number, {
        name: input.name,
        language: input.language,
        category: input.category,
        parameter_format: input.parameterFormat.toUpperCase(),
        components,
      }),
    );
    const now = clock.now();
    return database.tenant(tenantId, async (tx) => {
      const repo = templatesRepo(tx);
      const row =
        (await repo.insertIfAbsent(tenantId, {
          id: uuidv7(now.getTime()),
          numberId: number.id,
          wabaId: number.wabaId,
          externalId: created.id,
          name: input.name,
          language: input.language,
          category: created.category ?? input.category,
          status: created.status,
          parameterFormat: input.parameterFormat,
          components,
          statusReason: null,
          syncedAt: null,
          createdAt: now,
          updatedAt: now,
        })) ??
        // A status webhook or a sync stored it first: keep what they saw.
        (await repo.findByName(tenantId, number.wabaId, input.name)).find(
          (r) => r.language === input.language,
        );
      if (!row) throw new Error('template vanished after create');
      await audit.record(tx, tenantId, actor, {
        action: 'whatsapp_template.created',
        target: { type: 'whatsapp_template', id: row.id },
        after: auditView(row),
      });
      return row;
    });
  }

  async function updateTemplate(
    tenantId: string,
    numberId: string,
    templateId: string,
    input: UpdateTemplateRequest,
    actor: Actor,
  ): Promise<TemplateRow> {
    const { number, template } = await templateOf(tenantId, numberId, templateId);
    if (!EDITABLE.includes(template.status)) {
      throw new AppError(
        'conflict',
        `The template is ${template.status}: only APPROVED, REJECTED or PAUSED templates can be edited.`,
        { extensions: { templateStatus: template.status } },
      );
    }
    if (!template.externalId)
      throw new AppError('conflict', 'WhatsApp has not given this template an id yet: sync first.');
    const components = input.components ? normalizeComponents(input.components) : undefined;
    if (components) {
      const issues = checkDefinition(components, template.parameterFormat);
      if (issues.length > 0) throw refuse('The template is not valid.', issues);
    }
    const externalId = template.externalId;
    await callGraph(tenantId, number, 'edit the template', () =>
      graph.edit(number, externalId, {
        ...(input.category ? { category: input.category } : {}),
        ...(components ? { components } : {}),
      }),
    );
    return database.tenant(tenantId, async (tx) => {
      // Meta reviews an edited template again.
      const after = orNotFound(
        await templatesRepo(tx).update(tenantId, template.id, {
          ...(input.category ? { category: input.category } : {}),
          ...(components ? { components } : {}),
          status: 'PENDING',
          statusReason: null,
          updatedAt: clock.now(),
        }),
        'Template not found.',
      );
      await audit.record(tx, tenantId, actor, {
        action: 'whatsapp_template.updated',
        target: { type: 'whatsapp_template', id: template.id },
        before: auditView(template),
        after: auditView(after),
      });
      return after;
    });
  }

  async function deleteTemplate(
    tenantId: string,
    numberId: string,
    templateId: string,
    actor: Actor,
  ): Promise<void> {
    const { number, template } = await templateOf(tenantId, numberId, templateId);
    if (template.status === 'DISABLED') {
      throw new AppError('conflict', 'WhatsApp does not let DISABLED templates be deleted.', {
        extensions: { templateStatus: template.status },
      });
    }
    await callGraph(tenantId, number, 'delete the template', () =>
      graph.remove(number, template.name, template.externalId),
    );
    await database.tenant(tenantId, async (tx) => {
      await templatesRepo(tx).delete(tenantId, template.id);
      await audit.record(tx, tenantId, actor, {
        action: 'whatsapp_template.deleted',
        target: { type: 'whatsapp_template', id: template.id },
        before: auditView(template),
      });
    });
  }

  async function previewTemplate(
    tenantId: string,
    numberId: string,
    templateId: string,
    parameters: TemplateParameters,
  ): Promise<RenderedTemplate> {
    const { template } = await templateOf(tenantId, numberId, templateId);
    const { issues, plan } = planSend(
      shapeOf(template.components, template.parameterFormat),
      template.parameterFormat,
      parameters,
      'body.parameters',
    );
    if (!plan) throw refuse('The parameters do not fit the template.', issues);
    return plan.rendered;
  }

  /** A media header's uploaded file: one of the organization's, of a format and size its kind takes. */
  async function checkHeaderFile(tenantId: string, kind: MediaKind, attachmentId: string): Promise<void> {
    const path = 'body.template.parameters.header.attachmentId';
    const file = await database.tenant(tenantId, (tx) =>
      attachmentsRepo(tx).findById(tenantId, attachmentId),
    );
    if (!file) {
      throw refuse('No uploaded file with this id.', [
        { path, message: 'No uploaded file with this id (POST /api/v1/attachments)' },
      ]);
    }
    const unfit = unfitFor(kind, file);
    if (unfit) throw refuse(unfit, [{ path, message: unfit }]);
  }

  /**
   * Checks a template send against the number's approved template and builds the Cloud API
   * `template` object. Every refusal is a 422 `unprocessable_content` whose `errors` name the
   * field (`body.template.name`, `body.template.parameters.body.1`, ...). Media headers given by
   * `attachmentId` are resolved through `resolveMedia` (only once everything else is valid).
   */
  async function prepareTemplateSend(
    tenantId: string,
    numberId: string,
    input: TemplateSend,
    resolveMedia?: ResolveMedia,
  ): Promise<PreparedTemplateSend> {
    const { number, matches } = await database.tenant(tenantId, async (tx) => {
      const number = orNotFound(
        await numbersRepo(tx).findById(tenantId, numberId),
        'WhatsApp number not found.',
      );
      return { number, matches: await templatesRepo(tx).findByName(tenantId, number.wabaId, input.name) };
    });
    const template = matches.find((r) => r.language === input.language);
    if (!template) {
      if (matches.length > 0) {
        const languages = matches.map((r) => r.language).join(', ');
        throw refuse(`The template ${input.name} has no ${input.language} version.`, [
          { path: 'body.template.language', message: `Not a language of this template; it has ${languages}` },
        ]);
      }
      throw refuse(`No template named ${input.name} on this number's WhatsApp Business Account.`, [
        {
          path: 'body.template.name',
          message: `Unknown template (account ${number.wabaId}); sync the number's templates if it was made elsewhere`,
        },
      ]);
    }
    if (template.status !== 'APPROVED') {
      throw refuse(
        `The template ${template.name} (${template.language}) is ${template.status}; only APPROVED templates can be sent.`,
        [{ path: 'body.template.name', message: `The template is ${template.status}, not APPROVED` }],
      );
    }
    const shape = shapeOf(template.components, template.parameterFormat);
    if (shape.unsupported.length > 0) {
      throw refuse(`The template uses ${shape.unsupported.join(', ')}, which Switchboard cannot send yet.`, [
        { path: 'body.template.name', message: `Unsupported components: ${shape.unsupported.join(', ')}` },
      ]);
    }
    const { issues, plan } = planSend(
      shape,
      template.parameterFormat,
      input.parameters,
      'body.template.parameters',
    );
    if (!plan) throw refuse('The parameters do not fit the template.', issues);
    const components = [...plan.components];
    const media = plan.headerMedia;
    if (media) {
      let source: { id: string } | { link: string };
      if (media.link) source = { link: media.link };
      else if (media.attachmentId && resolveMedia) {
        await checkHeaderFile(tenantId, media.type, media.attachmentId);
        source = await resolveMedia(media.attachmentId);
      } else {
        throw refuse('The header media cannot be resolved here.', [
          {
            path: 'body.template.parameters.header.attachmentId',
            message: 'Give a link, or send through a conversation',
          },
        ]);
      }
      const object = {
        ...source,
        ...(media.type === 'document' && media.filename ? { filename: media.filename } : {}),
      };
      components.unshift({ type: 'header', parameters: [{ type: media.type, [media.type]: object }] });
    }
    return {
      template,
      graphTemplate: { name: template.name, language: { code: template.language }, components },
      rendered: plan.rendered,
      marketing: template.category === 'MARKETING',
    };
  }

  return {
    listTemplates,
    createTemplate,
    updateTemplate,
    deleteTemplate,
    previewTemplate,
    prepareTemplateSend,
    callGraph,
  };
}

export type TemplatesService = ReturnType<typeof createTemplatesService>;
