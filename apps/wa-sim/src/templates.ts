import type { Clock } from './clock.ts';
import { templateInputSchema, type SimConfig } from './config.ts';
import { GraphError, invalidParam } from './graph-error.ts';
import type { Json, Store, Template } from './store.ts';
import type { WebhookDispatcher } from './webhook/dispatcher.ts';

// Template management (contract doc §6): create → PENDING → APPROVED or REJECTED after a configurable
// review delay, list, edit, delete, and `message_template_status_update` webhooks on every change.

const ADJACENT_PARAMS = /\}\}\s*\{\{/;

export class TemplateService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly dispatcher: WebhookDispatcher,
    private readonly config: SimConfig,
  ) {}

  create(wabaId: string, body: unknown): Json {
    const parsed = templateInputSchema.safeParse({ ...(body as Json), status: 'PENDING', id: undefined });
    if (!parsed.success)
      throw invalidParam(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const input = parsed.data;
    if (this.store.findTemplate(wabaId, input.name, input.language)) {
      throw new GraphError(100, `Content in this language already exists for template ${input.name}`, {
        message: 'Invalid parameter',
        subcode: 2388024,
      });
    }
    const template = this.store.addTemplate(wabaId, {
      ...input,
      components: normalizeComponents(input.components),
    });
    this.scheduleReview(template);
    return { id: template.id, status: template.status, category: template.category };
  }

  /** Edits components or category; Meta sends the template back to review. */
  edit(template: Template, body: unknown): Json {
    if (!['APPROVED', 'REJECTED', 'PAUSED'].includes(template.status)) {
      throw invalidParam(`Templates in status ${template.status} cannot be edited`);
    }
    const b = (body ?? {}) as Json;
    if (Array.isArray(b['components'])) template.components = normalizeComponents(b['components'] as Json[]);
    if (typeof b['category'] === 'string') template.category = b['category'].toUpperCase();
    this.setStatus(template, 'PENDING', 'NONE');
    this.scheduleReview(template);
    return { success: true };
  }

  /** `nextBase` is the absolute URL of the list route; `paging.next` repeats the filters on it. */
  list(wabaId: string, query: Record<string, string | undefined>, nextBase?: string): Json {
    const wanted = query['status']?.toUpperCase();
    const name = query['name'];
    const data = [...this.store.templates.values()]
      .filter((t) => t.wabaId === wabaId && t.status !== 'DELETED')
      .filter((t) => (wanted ? t.status === wanted : true) && (name ? t.name === name : true))
      .map((t) => ({
        name: t.name,
        parameter_format: t.parameterFormat,
        components: t.components,
        language: t.language,
        status: t.status,
        category: t.category,
        id: t.id,
      }));
    const limit = Math.max(1, Number(query['limit'] ?? 25) || 25);
    const after = Number(query['after'] ?? 0) || 0;
    const page = data.slice(after, after + limit);
    const paging: Json = { cursors: { before: String(after), after: String(after + page.length) } };
    if (after + page.length < data.length) {
      const next = new URLSearchParams();
      if (query['status']) next.set('status', query['status']);
      if (name) next.set('name', name);
      next.set('limit', String(limit));
      next.set('after', String(after + page.length));
      paging['next'] = `${nextBase ?? ''}?${next.toString()}`;
    }
    return { data: page, paging };
  }

  delete(wabaId: string, name: string | undefined, hsmId: string | undefined): Json {
    if (!name)
      throw new GraphError(100, 'The parameter name is required.', {
        message: 'The parameter name is required.',
      });
    const matches = [...this.store.templates.values()].filter(
      (t) => t.wabaId === wabaId && t.name === name && (hsmId === undefined || t.id === hsmId),
    );
    if (matches.length === 0)
      throw new GraphError(100, `Template ${name} not found`, { message: 'Invalid parameter' });
    if (matches.some((t) => t.status === 'DISABLED'))
      throw invalidParam('Disabled templates cannot be deleted');
    for (const t of matches) {
      this.setStatus(t, 'DELETED', 'NONE');
      this.store.templates.delete(t.id);
    }
    return { success: true };
  }

  /** Changes a template's status and announces it; also used by the control API (pause, disable…). */
  setStatus(template: Template, event: string, reason: string | null, extra: Json = {}): void {
    template.status = event;
    const value: Json = {
      event,
      message_template_id: Number(template.id),
      message_template_name: template.name,
      message_template_language: template.language,
      reason,
      message_template_category: template.category,
      ...extra,
    };
    this.dispatcher.enqueue({
      wabaId: template.wabaId,
      field: 'message_template_status_update',
      value,
      entryTime: Math.floor(this.clock.now() / 1000),
    });
  }

  private scheduleReview(template: Template): void {
    const { delayMs, rejectNamePattern } = this.config.templateReview;
    this.clock.schedule(delayMs, () => {
      if (template.status !== 'PENDING') return;
      const body = template.components.find((c) => c['type'] === 'BODY');
      const text = typeof body?.['text'] === 'string' ? body['text'] : '';
      if (ADJACENT_PARAMS.test(text)) {
        this.setStatus(template, 'REJECTED', 'INVALID_FORMAT', {
          rejection_info: {
            reason:
              'Your template has parameters placed next to each other (like {{1}}{{2}}) without text or punctuation between them.',
            recommendation:
              'Separate parameters with descriptive text and ensure each parameter is clearly contextualized.',
          },
        });
      } else if (new RegExp(rejectNamePattern).test(template.name)) {
        this.setStatus(template, 'REJECTED', 'PROMOTIONAL', {
          rejection_info: {
            reason: 'The simulator rejects templates whose name matches templateReview.rejectNamePattern.',
            recommendation: 'Rename the template or change the simulator configuration.',
          },
        });
      } else this.setStatus(template, 'APPROVED', 'NONE');
    });
  }
}

/** Meta answers with UPPERCASE component types whatever case they were created with. */
function normalizeComponents(components: Json[]): Json[] {
  return components.map((c) => {
    const out: Json = { ...c, type: String(c['type']).toUpperCase() };
    if (typeof c['format'] === 'string') out['format'] = c['format'].toUpperCase();
    if (Array.isArray(c['buttons'])) {
      out['buttons'] = (c['buttons'] as Json[]).map((b) => ({ ...b, type: String(b['type']).toUpperCase() }));
    }
    return out;
  });
}

export { normalizeComponents };
