// Canned responses: saved replies an agent inserts by short code, with variables filled in for the
// conversation at hand. Changes are audited in their own transaction.
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import type { Actor, TenantPrincipal } from '../../platform/auth/principal.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { contactsRepo } from '../contacts/contacts.repo.ts';
import { conversationsRepo } from '../conversations/conversations.repo.ts';
import { organizationsRepo } from '../organizations/organizations.repo.ts';
import { usersRepo } from '../users/users.repo.ts';
import { cannedResponsesRepo, type CannedResponseRow } from './canned-responses.repo.ts';
import { checkTemplate, firstName, renderTemplate, type TemplateValues } from './canned-templates.ts';

const SHORT_CODE_KEY = 'canned_responses_short_code_key';

export interface CannedQuery {
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface CannedPatch {
  shortCode?: string | undefined;
  content?: string | undefined;
}

/** Refuses content with variables outside the closed set, naming each. */
function checkContent(content: string): void {
  const { unknown } = checkTemplate(content);
  if (unknown.length === 0) return;
  throw new AppError(
    'unprocessable_content',
    `Unknown variable: ${unknown.map((v) => `{{${v}}}`).join(', ')}.`,
    {
      errors: unknown.map((v) => ({ path: 'body.content', message: `Unknown variable {{${v}}}` })),
    },
  );
}

function shortCodeTaken(shortCode: string): AppError {
  return new AppError('conflict', `The short code /${shortCode} is already in use.`, {
    errors: [{ path: 'body.shortCode', message: 'Already in use (short codes ignore case)' }],
  });
}

const encodeCursor = (shortCode: string) => Buffer.from(shortCode.toLowerCase()).toString('base64url');

function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z0-9_-]{1,50}$/.test(code)) {
    throw new AppError('validation_failed', 'The cursor is not valid.', {
      errors: [{ path: 'query.cursor', message: 'Not a cursor returned by this endpoint' }],
    });
  }
  return code;
}

const audited = (r: CannedResponseRow) => ({ shortCode: r.shortCode, content: r.content });

export function createCannedResponsesService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
}) {
  const { database, clock, audit } = deps;

  async function listCannedResponses(
    tenantId: string,
    query: CannedQuery,
  ): Promise<{ items: CannedResponseRow[]; nextCursor: string | null }> {
    const after = decodeCursor(query.cursor);
    const rows = await database.tenant(tenantId, (tx) =>
      cannedResponsesRepo(tx).list(tenantId, { q: query.q, after }, query.limit + 1),
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last.shortCode) : null };
  }

  async function createCannedResponse(
    tenantId: string,
    input: { shortCode: string; content: string },
    actor: Actor,
  ): Promise<CannedResponseRow> {
    checkContent(input.content);
    const now = clock.now();
    try {
      return await database.tenant(tenantId, async (tx) => {
        const row = await cannedResponsesRepo(tx).insert(tenantId, {
          id: uuidv7(now.getTime()),
          shortCode: input.shortCode,
          content: input.content,
          createdBy: actor.type === 'user' ? actor.id : null,
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(tx, tenantId, actor, {
          action: 'canned_response.created',
          target: { type: 'canned_response', id: row.id },
          after: audited(row),
        });
        return row;
      });
    } catch (err) {
      if (isUniqueViolation(err, SHORT_CODE_KEY)) throw shortCodeTaken(input.shortCode);
      throw err;
    }
  }

  async function updateCannedResponse(
    tenantId: string,
    id: string,
    patch: CannedPatch,
    actor: Actor,
  ): Promise<CannedResponseRow> {
    if (patch.content !== undefined) checkContent(patch.content);
    try {
      return await database.tenant(tenantId, async (tx) => {
        const repo = cannedResponsesRepo(tx);
        const before = orNotFound(await repo.findById(tenantId, id), 'Canned response not found.');
        const changes = {
          ...(patch.shortCode === undefined ? {} : { shortCode: patch.shortCode }),
          ...(patch.content === undefined ? {} : { content: patch.content }),
        };
        if (Object.keys(changes).length === 0) return before;
        const after = orNotFound(
          await repo.update(tenantId, id, { ...changes, updatedAt: clock.now() }),
          'Canned response not found.',
        );
        await audit.record(tx, tenantId, actor, {
          action: 'canned_response.updated',
          target: { type: 'canned_response', id },
          before: audited(before),
          after: audited(after),
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err, SHORT_CODE_KEY)) throw shortCodeTaken(patch.shortCode ?? '');
      throw err;
    }
  }

  async function deleteCannedResponse(tenantId: string, id: string, actor: Actor): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      const row = orNotFound(
        await cannedResponsesRepo(tx).delete(tenantId, id),
        'Canned response not found.',
      );
      await audit.record(tx, tenantId, actor, {
        action: 'canned_response.deleted',
        target: { type: 'canned_response', id },
        before: audited(row),
      });
    });
  }

  /**
   * The response's text for a conversation: its contact, the calling agent (nothing for an API
   * key) and the organization. `missing` lists variables with no value and no fallback.
   */
  async function renderCannedResponse(
    principal: TenantPrincipal,
    id: string,
    conversationId: string,
  ): Promise<{ text: string; missing: string[] }> {
    const { tenantId } = principal;
    return database.tenant(tenantId, async (tx) => {
      const canned = orNotFound(
        await cannedResponsesRepo(tx).findById(tenantId, id),
        'Canned response not found.',
      );
      const conversation = orNotFound(
        await conversationsRepo(tx).findById(tenantId, conversationId),
        'Conversation not found.',
      );
      const contact = await contactsRepo(tx).findById(tenantId, conversation.contactId);
      const agent =
        principal.kind === 'user' ? await usersRepo(tx).findById(tenantId, principal.userId) : undefined;
      const organization = await organizationsRepo(tx).findById(tenantId);
      const contactName = contact?.name ?? contact?.profileName ?? null;
      const values: TemplateValues = {
        'contact.name': contactName,
        'contact.first_name': firstName(contactName),
        'contact.phone': contact?.phoneE164 ?? (contact?.waId ? `+${contact.waId}` : null),
        'agent.name': agent ? `${agent.firstName} ${agent.lastName}`.trim() : null,
        'agent.first_name': agent?.firstName ?? null,
        'organization.name': organization?.name ?? null,
      };
      return renderTemplate(canned.content, values);
    });
  }

  return {
    listCannedResponses,
    createCannedResponse,
    updateCannedResponse,
    deleteCannedResponse,
    renderCannedResponse,
  };
}

export type CannedResponsesService = ReturnType<typeof createCannedResponsesService>;
