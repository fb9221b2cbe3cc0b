import {
  DEFAULT_GRAPH_BASE_URL,
  type ConnectNumberRequest,
  type UpdateNumberRequest,
} from '@switchboard/contracts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import type { Actor } from '../../platform/auth/principal.ts';
import type { SecretBox } from '../../platform/security/secret-box.ts';
import { hashToken, uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { organizationsRepo } from '../organizations/organizations.repo.ts';
import { teamsRepo } from '../teams/teams.repo.ts';
import { planLimits } from '../organizations/plans.ts';
import {
  numbersRepo,
  PHONE_NUMBER_ID_KEY,
  type WhatsappNumberPatch,
  type WhatsappNumberRow,
} from './numbers.repo.ts';

export type ConnectNumberInput = ConnectNumberRequest;
export type UpdateNumberInput = UpdateNumberRequest;

/** The fields an audit entry may show: everything but the secrets. */
const publicFields = [
  'displayPhoneNumber',
  'purpose',
  'graphBaseUrl',
  'greetingMessage',
  'awayMessage',
  'autoReplyMessage',
  'businessHours',
  'defaultTeamId',
  'throughputMps',
  'sendReadReceipts',
  'status',
] as const satisfies readonly (keyof WhatsappNumberRow)[];
type PublicField = (typeof publicFields)[number];

const secretFields = ['accessToken', 'appSecret', 'verifyToken'] as const;

function publicView(row: WhatsappNumberRow): Record<string, unknown> {
  return {
    phoneNumberId: row.phoneNumberId,
    wabaId: row.wabaId,
    ...Object.fromEntries(publicFields.map((f) => [f, row[f]])),
  };
}

/** Opened secrets kept at most (the cache is emptied when full; a few per number). */
const MAX_OPENED_SECRETS = 4096;

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function createNumbersService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
  secretBox: SecretBox;
  /** Told after a number is updated or disconnected (the intake forgets what it cached). */
  onChanged?: () => void;
}) {
  const { database, clock, audit, secretBox } = deps;

  async function connectNumber(
    tenantId: string,
    input: ConnectNumberInput,
    actor: Actor,
  ): Promise<WhatsappNumberRow> {
    const now = clock.now();
    // Sealed before the transaction: nothing slow runs while the tenant's connect lock is held.
    const sealed = {
      accessTokenEnc: secretBox.encrypt(input.accessToken),
      appSecretEnc: secretBox.encrypt(input.appSecret),
      verifyTokenHash: hashToken(input.verifyToken),
    };
    try {
      return await database.tenant(tenantId, async (tx) => {
        const repo = numbersRepo(tx);
        await repo.lockForConnect(tenantId);
        const org = orNotFound(await organizationsRepo(tx).findById(tenantId), 'Organization not found.');
        const { maxWhatsappNumbers } = planLimits(org.plan);
        if ((await repo.count(tenantId)) >= maxWhatsappNumbers) {
          throw new AppError(
            'plan_limit_reached',
            `The ${org.plan} plan allows ${maxWhatsappNumbers} WhatsApp number${maxWhatsappNumbers === 1 ? '' : 's'}. ` +
              'Disconnect one or upgrade the plan to connect another.',
            { extensions: { limit: maxWhatsappNumbers } },
          );
        }
        if (await repo.findByPhoneNumberId(tenantId, input.phoneNumberId)) {
          throw new AppError('conflict', 'This phone number is already connected to your organization.', {
            errors: [{ path: 'body.phoneNumberId', message: 'Already connected' }],
          });
        }
        const row = await repo.insert(tenantId, {
          id: uuidv7(now.getTime()),
          phoneNumberId: input.phoneNumberId,
          wabaId: input.wabaId,
          displayPhoneNumber: input.displayPhoneNumber,
          purpose: input.purpose,
          ...sealed,
          graphBaseUrl: input.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL,
          defaultTeamId: null,
          greetingMessage: input.greetingMessage ?? null,
          awayMessage: input.awayMessage ?? null,
          autoReplyMessage: input.autoReplyMessage ?? null,
          businessHours: input.businessHours ?? null,
          throughputMps: input.throughputMps ?? 80,
          sendReadReceipts: input.sendReadReceipts ?? true,
          status: 'active',
          statusReason: null,
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(tx, tenantId, actor, {
          action: 'whatsapp_number.connected',
          target: { type: 'whatsapp_number', id: row.id },
          after: publicView(row),
        });
        return row;
      });
    } catch (err) {
      // Another organization holds the number: RLS hides its row, the unique index still sees it.
      // Say so without saying who.
      if (isUniqueViolation(err, PHONE_NUMBER_ID_KEY)) {
        throw new AppError(
          'conflict',
          'This phone number is already connected to another Switchboard account. ' +
            'It must be disconnected there before it can be connected here.',
          { errors: [{ path: 'body.phoneNumberId', message: 'Already connected elsewhere' }] },
        );
      }
      throw err;
    }
  }

  async function listNumbers(tenantId: string): Promise<WhatsappNumberRow[]> {
    return database.tenant(tenantId, (tx) => numbersRepo(tx).list(tenantId));
  }

  async function getNumber(tenantId: string, id: string): Promise<WhatsappNumberRow> {
    return orNotFound(
      await database.tenant(tenantId, (tx) => numbersRepo(tx).findById(tenantId, id)),
      'WhatsApp number not found.',
    );
  }

  async function updateNumber(
    tenantId: string,
    id: string,
    patch: UpdateNumberInput,
    actor: Actor,
  ): Promise<WhatsappNumberRow> {
    const rotated = secretFields.filter((f) => patch[f] !== undefined);
    const set: WhatsappNumberPatch = {};
    if (patch.accessToken !== undefined) set.accessTokenEnc = secretBox.encrypt(patch.accessToken);
    if (patch.appSecret !== undefined) set.appSecretEnc = secretBox.encrypt(patch.appSecret);
    if (patch.verifyToken !== undefined) set.verifyTokenHash = hashToken(patch.verifyToken);
    const updated = await database.tenant(tenantId, async (tx) => {
      const repo = numbersRepo(tx);
      // Locked (against deletion) before the number, the order deleting a team takes them in.
      if (patch.defaultTeamId && !(await teamsRepo(tx).lock(tenantId, patch.defaultTeamId, 'share'))) {
        throw new AppError('validation_failed', 'No team with this id in your organization.', {
          errors: [{ path: 'body.defaultTeamId', message: 'No team with this id in your organization' }],
        });
      }
      const before = orNotFound(await repo.findById(tenantId, id), 'WhatsApp number not found.');
      const changes: Partial<Record<PublicField, unknown>> = {};
      for (const field of publicFields) {
        if (field === 'status') continue;
        const value = patch[field];
        if (value !== undefined && !sameValue(value, before[field])) {
          Object.assign(set, { [field]: value });
          changes[field] = value;
        }
      }
      // New credentials are the remedy for a number flagged for attention (e.g. a rejected token).
      if (
        before.status === 'needs_attention' &&
        (patch.accessToken !== undefined || patch.appSecret !== undefined)
      ) {
        set.status = 'active';
        set.statusReason = null;
        changes.status = 'active';
      }
      const changed = Object.keys(changes) as PublicField[];
      if (changed.length === 0 && rotated.length === 0) return before;
      const after = orNotFound(
        await repo.update(tenantId, id, { ...set, updatedAt: clock.now() }),
        'WhatsApp number not found.',
      );
      await audit.record(tx, tenantId, actor, {
        action: 'whatsapp_number.updated',
        target: { type: 'whatsapp_number', id },
        before: Object.fromEntries(changed.map((f) => [f, before[f]])),
        after: { ...Object.fromEntries(changed.map((f) => [f, after[f]])), rotated },
      });
      return after;
    });
    deps.onChanged?.();
    return updated;
  }

  async function disconnectNumber(tenantId: string, id: string, actor: Actor): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      const row = orNotFound(await numbersRepo(tx).delete(tenantId, id), 'WhatsApp number not found.');
      await audit.record(tx, tenantId, actor, {
        action: 'whatsapp_number.disconnected',
        target: { type: 'whatsapp_number', id },
        before: publicView(row),
      });
    });
    deps.onChanged?.();
  }

  /**
   * The number's credentials in clear, for calling the Graph API and checking webhook signatures.
   * Every send and every webhook needs them, so opened secrets are kept by their sealed form: a
   * changed secret is sealed anew (a fresh nonce), so an entry can never be stale.
   */
  const opened = new Map<string, string>();
  function open(sealed: string): string {
    let clear = opened.get(sealed);
    if (clear === undefined) {
      clear = secretBox.decrypt(sealed);
      if (opened.size >= MAX_OPENED_SECRETS) opened.clear();
      opened.set(sealed, clear);
    }
    return clear;
  }
  function decryptCredentials(row: Pick<WhatsappNumberRow, 'accessTokenEnc' | 'appSecretEnc'>): {
    accessToken: string;
    appSecret: string;
  } {
    return { accessToken: open(row.accessTokenEnc), appSecret: open(row.appSecretEnc) };
  }

  return { connectNumber, listNumbers, getNumber, updateNumber, disconnectNumber, decryptCredentials };
}

export type NumbersService = ReturnType<typeof createNumbersService>;
