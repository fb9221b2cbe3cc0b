// Labels: the organization's tags, and attaching them to conversations and contacts. Attaching is
// idempotent (PUT twice is one attachment, and one event). A label change on a conversation is a
// `conversation.updated` event carrying the conversation's labels.
import type { CreateLabelRequest, UpdateLabelRequest } from '@switchboard/contracts';
import type { Actor } from '../../platform/auth/principal.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database, Executor } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import type { RealtimeBus } from '../../platform/realtime/realtime-bus.ts';
import { recordEvents } from '../../platform/realtime/realtime.repo.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { contactsRepo } from '../contacts/contacts.repo.ts';
import { conversationUpdated } from '../conversations/conversation-events.ts';
import { conversationsRepo } from '../conversations/conversations.repo.ts';
import { LABEL_NAME_KEY, labelsRepo, type LabelRow, type LabelSummary } from './labels.repo.ts';

const auditView = (l: LabelRow) => ({ name: l.name, description: l.description, color: l.color });

function duplicateName(name: string): AppError {
  return new AppError('conflict', `A label named “${name}” already exists.`, {
    errors: [{ path: 'body.name', message: 'Already taken (names are compared ignoring case)' }],
  });
}

export function createLabelsService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
  realtime: Pick<RealtimeBus, 'publish'>;
}) {
  const { database, clock, audit, realtime } = deps;

  /** Runs a write, turning the duplicate-name violation into a 409 naming the field. */
  async function unique<T>(name: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (name !== undefined && isUniqueViolation(err, LABEL_NAME_KEY)) throw duplicateName(name);
      throw err;
    }
  }

  async function listLabels(tenantId: string): Promise<LabelRow[]> {
    return database.tenant(tenantId, (tx) => labelsRepo(tx).list(tenantId));
  }

  async function createLabel(tenantId: string, input: CreateLabelRequest, actor: Actor): Promise<LabelRow> {
    const now = clock.now();
    return unique(input.name, () =>
      database.tenant(tenantId, async (tx) => {
        const row = await labelsRepo(tx).insert(tenantId, {
          id: uuidv7(now.getTime()),
          name: input.name,
          description: input.description ?? null,
          color: input.color,
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(tx, tenantId, actor, {
          action: 'label.created',
          target: { type: 'label', id: row.id },
          after: auditView(row),
        });
        return row;
      }),
    );
  }

  async function updateLabel(
    tenantId: string,
    id: string,
    patch: UpdateLabelRequest,
    actor: Actor,
  ): Promise<LabelRow> {
    return unique(patch.name, () =>
      database.tenant(tenantId, async (tx) => {
        const repo = labelsRepo(tx);
        const before = orNotFound(await repo.findById(tenantId, id), 'Label not found.');
        const changed = (['name', 'description', 'color'] as const).filter(
          (f) => patch[f] !== undefined && patch[f] !== before[f],
        );
        if (changed.length === 0) return before;
        const after = orNotFound(
          await repo.update(tenantId, id, {
            ...Object.fromEntries(changed.map((f) => [f, patch[f]])),
            updatedAt: clock.now(),
          }),
          'Label not found.',
        );
        await audit.record(tx, tenantId, actor, {
          action: 'label.updated',
          target: { type: 'label', id },
          before: Object.fromEntries(changed.map((f) => [f, before[f]])),
          after: Object.fromEntries(changed.map((f) => [f, after[f]])),
        });
        return after;
      }),
    );
  }

  /**
   * Removes the label from every conversation and contact with it, in the same transaction. No
   * per-conversation events: clients drop label ids they no longer find in the label list.
   */
  async function deleteLabel(tenantId: string, id: string, actor: Actor): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      const row = orNotFound(await labelsRepo(tx).delete(tenantId, id), 'Label not found.');
      await audit.record(tx, tenantId, actor, {
        action: 'label.deleted',
        target: { type: 'label', id },
        before: auditView(row),
      });
    });
  }

  async function existingLabel(tx: Executor, tenantId: string, labelId: string): Promise<void> {
    orNotFound(await labelsRepo(tx).findById(tenantId, labelId), 'Label not found.');
  }

  /** Attaches (`attach`) or detaches a label; returns the conversation's labels afterwards. */
  async function setConversationLabel(
    tenantId: string,
    conversationId: string,
    labelId: string,
    attach: boolean,
  ): Promise<LabelSummary[]> {
    const now = clock.now();
    const { labels, seq } = await database.tenant(tenantId, async (tx) => {
      const conversations = conversationsRepo(tx);
      // Locked, so concurrent label changes on one conversation publish in the order they apply.
      const current = orNotFound(
        await conversations.findForUpdate(tenantId, conversationId),
        'Conversation not found.',
      );
      await existingLabel(tx, tenantId, labelId);
      const repo = labelsRepo(tx);
      const changed = attach
        ? await repo.attachToConversation(tenantId, conversationId, labelId, now)
        : await repo.detachFromConversation(tenantId, conversationId, labelId);
      const labels = (await repo.labelsOf(tenantId, [conversationId])).get(conversationId) ?? [];
      if (!changed) return { labels, seq: 0 };
      await conversations.update(tenantId, conversationId, { updatedAt: now });
      const event = conversationUpdated({ ...current, updatedAt: now });
      const seq = await recordEvents(tx, tenantId, [{ ...event, data: { ...event.data, labels } }], now);
      return { labels, seq };
    });
    if (seq > 0) realtime.publish({ tenantId, seq });
    return labels;
  }

  /** Attaches (`attach`) or detaches a label; returns the contact's labels afterwards. */
  async function setContactLabel(
    tenantId: string,
    contactId: string,
    labelId: string,
    attach: boolean,
  ): Promise<LabelSummary[]> {
    const now = clock.now();
    return database.tenant(tenantId, async (tx) => {
      orNotFound(await contactsRepo(tx).findForUpdate(tenantId, contactId), 'Contact not found.');
      await existingLabel(tx, tenantId, labelId);
      const repo = labelsRepo(tx);
      if (attach) await repo.attachToContact(tenantId, contactId, labelId, now);
      else await repo.detachFromContact(tenantId, contactId, labelId);
      return (await repo.labelsOfContacts(tenantId, [contactId])).get(contactId) ?? [];
    });
  }

  return {
    listLabels,
    createLabel,
    updateLabel,
    deleteLabel,
    labelConversation: (tenantId: string, conversationId: string, labelId: string) =>
      setConversationLabel(tenantId, conversationId, labelId, true),
    unlabelConversation: (tenantId: string, conversationId: string, labelId: string) =>
      setConversationLabel(tenantId, conversationId, labelId, false),
    labelContact: (tenantId: string, contactId: string, labelId: string) =>
      setContactLabel(tenantId, contactId, labelId, true),
    unlabelContact: (tenantId: string, contactId: string, labelId: string) =>
      setContactLabel(tenantId, contactId, labelId, false),
  };
}

export type LabelsService = ReturnType<typeof createLabelsService>;
