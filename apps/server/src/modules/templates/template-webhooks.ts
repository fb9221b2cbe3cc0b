// Two webhook fields the intake hands over (it verifies, stores and claims the receipt; ADR 0005):
// - `message_template_status_update`: `entry.id` is the WABA; every organization with a number of
//   that account gets the new status and its reason. A template we do not have (made in Meta's
//   tools) queues a sync of the account instead.
// - `user_preferences`: a client stopped (`stop`) or resumed (`resume`, `signup`) marketing
//   messages; recorded on the contact of the number's organization.
// Both are idempotent (a redelivery changes nothing) and write each organization in one
// transaction, so a failure leaves nothing half-stored and the receipt is tried again.
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import { numberLookup } from '../whatsapp/numbers.repo.ts';
import { marketingPreferencesRepo, templatesRepo } from './templates.repo.ts';

export type FieldOutcome = 'processed' | 'unknown_account';
export interface WebhookChange {
  /** `entry.id`: the WhatsApp Business Account. */
  wabaId: string;
  value: Record<string, unknown>;
}

const text = z.string().trim().min(1);
const statusUpdateSchema = z.looseObject({
  event: text,
  message_template_id: z.union([z.number(), z.string()]).optional(),
  message_template_name: text.optional(),
  message_template_language: text.optional(),
  reason: z.string().nullable().optional(),
  rejection_info: z
    .looseObject({ reason: z.string().optional(), recommendation: z.string().optional() })
    .optional(),
  other_info: z.looseObject({ title: z.string().optional(), description: z.string().optional() }).optional(),
  disable_info: z.looseObject({ disable_date: z.union([z.string(), z.number()]).optional() }).optional(),
});
type StatusUpdate = z.infer<typeof statusUpdateSchema>;

const preferencesSchema = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string() }),
  user_preferences: z
    .array(
      z.looseObject({
        wa_id: z.string().optional(),
        user_id: z.string().optional(),
        category: z.string().optional(),
        value: z.string(),
        timestamp: z.union([z.number(), z.string()]).optional(),
      }),
    )
    .default([]),
});

/** Why Meta rejected, paused or disabled a template, in its own words; null when it says nothing. */
export function statusReasonOf(u: StatusUpdate): string | null {
  if (u.event === 'APPROVED') return null;
  const parts = [
    u.rejection_info?.reason,
    u.rejection_info?.recommendation,
    u.other_info?.description ?? u.other_info?.title,
    u.disable_info?.disable_date === undefined
      ? undefined
      : `Disabled on ${String(u.disable_info.disable_date)}`,
  ].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  const code = u.reason && u.reason !== 'NONE' ? u.reason : undefined;
  if (parts.length === 0) return code ?? null;
  return code ? `${code}: ${parts.join(' ')}` : parts.join(' ');
}

/** Graph's template id when the integer survived JSON parsing exactly (ids can exceed 2^53). */
function exactId(id: number | string | undefined): string | undefined {
  if (typeof id === 'string') return /^\d+$/.test(id) ? id : undefined;
  return id !== undefined && Number.isSafeInteger(id) ? String(id) : undefined;
}

export function createTemplateWebhooks(deps: {
  database: Database;
  clock: Clock;
  log: Logger;
  /** Queues a sync of the account (a status for a template we do not have). */
  requestSync: (tenantId: string, wabaId: string) => Promise<void>;
}) {
  const { database, clock, log } = deps;

  async function statusUpdate({ wabaId, value }: WebhookChange): Promise<FieldOutcome> {
    const parsed = statusUpdateSchema.safeParse(value);
    if (!parsed.success) {
      log.warn({ wabaId, value }, 'template status update without an event ignored');
      return 'processed';
    }
    const u = parsed.data;
    const numbers = await database.read((db) => numberLookup(db).byWabaIds([wabaId]));
    const tenants = [...new Set(numbers.map((n) => n.tenantId))];
    if (tenants.length === 0) return 'unknown_account';
    const status = u.event.toUpperCase();
    const reason = statusReasonOf({ ...u, event: status });
    for (const tenantId of tenants) {
      const missing = await database.tenant(tenantId, async (tx) => {
        const repo = templatesRepo(tx);
        await repo.lockAccount(tenantId, wabaId);
        // Name and language identify a template of the account; the id is a fallback.
        const rows = await repo.findForStatus(
          tenantId,
          wabaId,
          u.message_template_name && u.message_template_language ? undefined : exactId(u.message_template_id),
          u.message_template_name,
          u.message_template_language,
        );
        if (rows.length === 0 || status === 'REINSTATED') return status !== 'DELETED';
        for (const row of rows) {
          if (status === 'DELETED') await repo.delete(tenantId, row.id);
          else if (row.status !== status || row.statusReason !== reason) {
            await repo.update(tenantId, row.id, {
              status,
              statusReason: reason,
              ...(row.externalId ? {} : { externalId: exactId(u.message_template_id) ?? null }),
              updatedAt: clock.now(),
            });
          }
        }
        return false;
      });
      if (missing) await deps.requestSync(tenantId, wabaId);
    }
    return 'processed';
  }

  async function userPreferences({ wabaId, value }: WebhookChange): Promise<FieldOutcome> {
    const parsed = preferencesSchema.safeParse(value);
    if (!parsed.success) {
      log.warn({ wabaId }, 'user_preferences change without a phone number id ignored');
      return 'processed';
    }
    const { metadata, user_preferences: items } = parsed.data;
    const [number] = await database.read((db) =>
      numberLookup(db).byPhoneNumberIds([metadata.phone_number_id]),
    );
    if (!number) return 'unknown_account';
    const now = clock.now();
    const tenantId = number.tenantId;
    await database.tenant(tenantId, async (tx) => {
      const repo = marketingPreferencesRepo(tx);
      for (const item of items) {
        if (item.category && item.category !== 'marketing_messages') continue;
        const who = {
          ...(item.wa_id ? { waId: item.wa_id } : {}),
          ...(item.user_id ? { userId: item.user_id } : {}),
        };
        const seconds = Number(item.timestamp);
        const at = Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : now;
        const choice = item.value.toLowerCase();
        const changed =
          choice === 'stop'
            ? await repo.stop(tenantId, who, at, now)
            : choice === 'resume' || choice === 'signup'
              ? await repo.resume(tenantId, who, at, now)
              : 0;
        log.info({ tenantId, choice, changed }, 'client marketing preference received');
      }
    });
    return 'processed';
  }

  return {
    /** The intake's handlers, by webhook field. */
    handlers: {
      message_template_status_update: statusUpdate,
      user_preferences: userPreferences,
    } as Record<string, (change: WebhookChange) => Promise<FieldOutcome>>,
  };
}
