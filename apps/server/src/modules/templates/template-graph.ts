// Graph's template management endpoints (contract doc §6) through the shared caller, and what a
// Graph failure means to our caller: a refusal is a 422 naming Meta's message, a rate limit a 429,
// an outage a 503, an existing name a 409; never an opaque 500.
import { AppError } from '../../platform/errors.ts';
import {
  createGraphCaller,
  GraphApiError,
  GraphNetworkError,
  type GraphCaller,
} from '../whatsapp/graph-http.ts';
import type { WhatsappNumberRow } from '../whatsapp/numbers.repo.ts';

/** A template as `GET /{WABA_ID}/message_templates` lists it. */
export interface GraphTemplate {
  id: string | number;
  name: string;
  language: string;
  status?: string;
  category?: string;
  parameter_format?: string;
  components?: Record<string, unknown>[];
  rejected_reason?: string;
}

interface Page {
  data?: GraphTemplate[];
  paging?: { cursors?: { after?: string }; next?: string };
}

const FIELDS = 'id,name,language,status,category,parameter_format,components,rejected_reason';
const PAGE_SIZE = 100;
/** 6,000 templates is Meta's most per account: far fewer pages than this. */
const MAX_PAGES = 200;

export function templateGraph(caller: GraphCaller) {
  return {
    async create(
      number: WhatsappNumberRow,
      body: Record<string, unknown>,
    ): Promise<{ id: string; status: string; category?: string }> {
      const res = await caller.call<{ id: unknown; status?: unknown; category?: unknown }>(
        number,
        `${number.wabaId}/message_templates`,
        { method: 'POST', body },
      );
      return {
        id: String(res.id),
        status: typeof res.status === 'string' ? res.status.toUpperCase() : 'PENDING',
        ...(typeof res.category === 'string' ? { category: res.category.toUpperCase() } : {}),
      };
    },
    async edit(number: WhatsappNumberRow, externalId: string, body: Record<string, unknown>): Promise<void> {
      await caller.call(number, encodeURIComponent(externalId), { method: 'POST', body });
    },
    async remove(number: WhatsappNumberRow, name: string, externalId: string | null): Promise<void> {
      const query = new URLSearchParams({ name });
      if (externalId) query.set('hsm_id', externalId);
      await caller.call(number, `${number.wabaId}/message_templates?${query.toString()}`, {
        method: 'DELETE',
      });
    },
    /** Every page of the account's templates. */
    async listAll(number: WhatsappNumberRow): Promise<GraphTemplate[]> {
      const all: GraphTemplate[] = [];
      let after: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({ fields: FIELDS, limit: String(PAGE_SIZE) });
        if (after) query.set('after', after);
        const res = await caller.call<Page>(number, `${number.wabaId}/message_templates?${query.toString()}`);
        all.push(...(res.data ?? []));
        after = res.paging?.cursors?.after;
        if (!res.paging?.next || !after || (res.data ?? []).length === 0) return all;
      }
      throw new AppError(
        'unprocessable_content',
        `The account lists more than ${MAX_PAGES * PAGE_SIZE} templates.`,
      );
    },
  };
}

export type TemplateGraph = ReturnType<typeof templateGraph>;

/** The template endpoints with each number's own token (numbers.decryptCredentials). */
export function templateGraphFor(accessTokenOf: (number: WhatsappNumberRow) => string): TemplateGraph {
  return templateGraph(createGraphCaller({ accessTokenOf }));
}

const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 133016]);

/** Our problem for a failed Graph call made `to` do something ("create the template"). */
export function graphFailure(err: unknown, to: string): unknown {
  if (err instanceof GraphNetworkError) {
    return new AppError(
      'not_ready',
      `WhatsApp's Graph API did not answer when asked to ${to}: ${err.message}. Try again.`,
      {
        cause: err,
      },
    );
  }
  if (!(err instanceof GraphApiError)) return err;
  const said = `${err.title}${err.details ? ` (${err.details})` : ''}`;
  const extensions = { graphCode: err.code ?? null, graphSubcode: err.subcode ?? null, graphMessage: said };
  if (err.tokenRejected) {
    return new AppError(
      'unprocessable_content',
      `Meta rejected this number's access token (190) when asked to ${to}. Enter a new token for the number.`,
      { extensions, cause: err },
    );
  }
  if (err.httpStatus === 429 || (err.code !== undefined && RATE_LIMIT_CODES.has(err.code))) {
    return new AppError('rate_limited', `WhatsApp's rate limit was reached when asked to ${to}: ${said}`, {
      retryAfterSeconds: 60,
      extensions,
      cause: err,
    });
  }
  if (err.httpStatus >= 500) {
    return new AppError(
      'not_ready',
      `WhatsApp's Graph API failed (HTTP ${err.httpStatus}) when asked to ${to}: ${said}`,
      {
        extensions,
        cause: err,
      },
    );
  }
  if (err.subcode === 2388024 || /already exists/i.test(said)) {
    return new AppError('conflict', `WhatsApp already has this template: ${said}`, {
      extensions,
      cause: err,
    });
  }
  return new AppError('unprocessable_content', `WhatsApp refused to ${to}: ${said}`, {
    extensions,
    cause: err,
  });
}
