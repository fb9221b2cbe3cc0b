// What an inbound message or status does to rows other than itself: reactions, revokes and edits
// change their target message, a number change moves the contact, and statuses move an outbound
// message forward (monotonically) or wait for it. Run inside the caller's transaction.
import type { Executor } from '../../platform/db/database.ts';
import type { NewRealtimeEvent } from '../../platform/realtime/realtime-events.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import { contactsRepo, type ContactRow } from '../contacts/contacts.repo.ts';
import type { NormalizedInbound } from '../whatsapp/normalize.ts';
import { messageUpdated } from './conversation-events.ts';
import { messagesRepo, pendingStatusesRepo, type MessageRow } from './conversations.repo.ts';
import { toE164 } from './inbound-contact.ts';
import { humanReason } from '../outbound/graph-send.ts';

export type StatusOutcome = 'applied' | 'ignored' | 'pending';

export interface StatusUpdate {
  externalId: string;
  status: string;
  occurredAt: Date;
  errorCode?: string | undefined;
  errorTitle?: string | undefined;
  payload: Record<string, unknown>;
}

/** sent < delivered < read; `failed` is terminal. Anything else (e.g. `played`) moves nothing. */
const RANK: Record<string, number> = { queued: 0, unknown: 0, sent: 1, delivered: 2, read: 3 };

/**
 * Side effects of message types that act on other messages or on the contact. Returns the
 * message it changed, if any.
 */
export async function applyEffects(
  tx: Executor,
  tenantId: string,
  contact: ContactRow,
  message: NormalizedInbound,
  now: Date,
): Promise<MessageRow | undefined> {
  const messages = messagesRepo(tx);
  const target = async () => {
    const id = message.content['targetExternalId'];
    return typeof id === 'string' && id ? messages.findByExternalId(tenantId, id) : undefined;
  };
  switch (message.type) {
    case 'reaction': {
      const t = await target();
      if (!t) return;
      const reactor = contact.waId ?? contact.userId ?? contact.id;
      const emoji = message.content['emoji'];
      const others = Object.entries(t.reactions).filter(([who]) => who !== reactor);
      const reactions = Object.fromEntries(
        typeof emoji === 'string' ? [...others, [reactor, emoji]] : others,
      );
      await messages.update(tenantId, t.id, { reactions });
      return { ...t, reactions };
    }
    case 'revoke': {
      const t = await target();
      if (!t) return;
      const content = { ...t.content, revoked: true };
      await messages.update(tenantId, t.id, { content });
      return { ...t, content };
    }
    case 'edit': {
      const t = await target();
      const edited = message.content['message'] as { content?: Record<string, unknown> } | undefined;
      if (!t || !edited?.content) return;
      const content = { ...t.content, ...edited.content, edited: true };
      await messages.update(tenantId, t.id, { content });
      return { ...t, content };
    }
    case 'system': {
      const newWaId = message.content['newWaId'];
      if (message.content['systemType'] === 'user_changed_number' && typeof newWaId === 'string' && newWaId) {
        const taken = await contactsRepo(tx).findByWaId(tenantId, newWaId);
        if (!taken) await contactsRepo(tx).changeWaId(tenantId, contact.id, newWaId, toE164(newWaId), now);
      }
      return;
    }
    default:
      return;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The outbound message a status names by our id (`biz_opaque_callback_data`, echoed by Meta) when
 * we never learned its wamid: a send whose answer was lost (`unknown`) or not recorded yet. It gets
 * the wamid, so that this status and later ones apply to it.
 */
async function adoptedByCallback(
  tx: Executor,
  tenantId: string,
  update: StatusUpdate,
): Promise<MessageRow | undefined> {
  const callback = update.payload['biz_opaque_callback_data'];
  if (typeof callback !== 'string' || !UUID.test(callback)) return undefined;
  const messages = messagesRepo(tx);
  const message = await messages.findForUpdate(tenantId, callback);
  if (!message || message.direction !== 'outbound' || message.externalId !== null) return undefined;
  await messages.update(tenantId, message.id, { externalId: update.externalId });
  return { ...message, externalId: update.externalId };
}

/**
 * Locks, in id order, the messages a batch of statuses will change (by wamid, or by our id in
 * `biz_opaque_callback_data`), before any is changed: the delivery engine settles its sends with
 * the same rows locked in id order, and two transactions that take them in different orders can
 * deadlock.
 */
export async function lockStatusTargets(
  tx: Executor,
  tenantId: string,
  updates: StatusUpdate[],
): Promise<void> {
  if (updates.length === 0) return;
  const ours = updates
    .map((u) => u.payload['biz_opaque_callback_data'])
    .filter((c): c is string => typeof c === 'string' && UUID.test(c));
  await messagesRepo(tx).lockInIdOrder(
    tenantId,
    updates.map((u) => u.externalId),
    ours,
  );
}

/**
 * Applies a status monotonically; keeps it for later when the message is not stored yet. Returns
 * the realtime events of the change for the caller to record last in its transaction.
 */
export async function applyStatus(
  tx: Executor,
  tenantId: string,
  update: StatusUpdate,
  now: Date,
): Promise<{ outcome: StatusOutcome; events: NewRealtimeEvent[] }> {
  const messages = messagesRepo(tx);
  const message =
    (await messages.findByExternalId(tenantId, update.externalId)) ??
    (await adoptedByCallback(tx, tenantId, update));
  if (!message) {
    await pendingStatusesRepo(tx).insert(tenantId, {
      id: uuidv7(),
      externalId: update.externalId,
      status: update.status,
      payload: update.payload,
      occurredAt: update.occurredAt,
      createdAt: now,
    });
    return { outcome: 'pending', events: [] };
  }
  const patch = statusPatch(message, update);
  if (!patch) return { outcome: 'ignored', events: [] };
  await optOutOnFailure(tx, tenantId, message, update, now);
  await messages.update(tenantId, message.id, patch);
  return { outcome: 'applied', events: [messageUpdated({ ...message, ...patch })] };
}

/**
 * `applyStatus` for a run of statuses, with the same outcomes and events, in two statements: the
 * messages they name are read together, the statuses applied in order in memory, and the changed
 * rows written together. A status whose message is not stored under its wamid (adopted by our id,
 * or kept for later) goes through `applyStatus` on its own. The caller has locked the messages.
 */
export async function applyStatuses(
  tx: Executor,
  tenantId: string,
  updates: readonly StatusUpdate[],
  now: Date,
): Promise<{ outcomes: StatusOutcome[]; events: NewRealtimeEvent[] }> {
  const messages = messagesRepo(tx);
  const known = new Map<string, MessageRow>();
  for (const m of await messages.findByExternalIds(
    tenantId,
    updates.map((u) => u.externalId),
  )) {
    if (m.externalId !== null) known.set(m.externalId, m);
  }
  const changed = new Map<string, MessageRow>();
  const outcomes: StatusOutcome[] = [];
  const events: NewRealtimeEvent[] = [];
  for (const update of updates) {
    const message = known.get(update.externalId);
    if (!message) {
      const applied = await applyStatus(tx, tenantId, update, now);
      outcomes.push(applied.outcome);
      events.push(...applied.events);
      continue;
    }
    const patch = statusPatch(message, update);
    if (!patch) {
      outcomes.push('ignored');
      continue;
    }
    await optOutOnFailure(tx, tenantId, message, update, now);
    const next = { ...message, ...patch };
    known.set(update.externalId, next);
    changed.set(next.id, next);
    outcomes.push('applied');
    events.push(messageUpdated(next));
  }
  await messages.setStatuses(tenantId, [...changed.values()]);
  return { outcomes, events };
}

/** What a status changes on its message; undefined when nothing (it is not ahead, or `failed` was). */
function statusPatch(message: MessageRow, update: StatusUpdate): Partial<MessageRow> | undefined {
  if (message.status === 'failed') return undefined;
  if (update.status === 'failed') {
    return {
      status: 'failed',
      errorCode: update.errorCode ?? null,
      errorTitle: humanReason(
        update.errorCode,
        update.errorTitle ?? 'WhatsApp could not deliver the message',
      ),
      statusAt: update.occurredAt,
    };
  }
  const next = RANK[update.status];
  if (next === undefined || next <= (RANK[message.status] ?? 0)) return undefined;
  return { status: update.status as MessageRow['status'], statusAt: update.occurredAt };
}

/** A client who stopped marketing messages (131050): recorded, so the next marketing template is refused. */
async function optOutOnFailure(
  tx: Executor,
  tenantId: string,
  message: MessageRow,
  update: StatusUpdate,
  now: Date,
): Promise<void> {
  if (update.status !== 'failed' || update.errorCode !== '131050') return;
  await contactsRepo(tx).setMarketingOptOut(
    tenantId,
    message.contactId,
    { at: update.occurredAt, source: '131050' },
    now,
  );
}
