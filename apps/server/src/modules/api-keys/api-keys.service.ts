import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Permission } from '../../platform/auth/permissions.ts';
import type { Actor, Authenticator, Principal, TenantPrincipal } from '../../platform/auth/principal.ts';
import { generateToken, hashToken, uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { apiKeyLookup, apiKeysRepo, type ApiKeyRow } from './api-keys.repo.ts';

const KEY_PREFIX = 'sbk_';
const TOUCH_INTERVAL_MS = 60_000;

export function createApiKeysService(deps: { database: Database; clock: Clock; audit: AuditService }) {
  const { database, clock, audit } = deps;

  /** The key is returned once, here; only its hash is kept. */
  async function createApiKey(
    principal: TenantPrincipal,
    input: { name: string; scopes: Permission[]; expiresAt?: Date | undefined },
    actor: Actor,
  ): Promise<{ key: string; row: ApiKeyRow }> {
    // A key can never do more than the person who made it.
    const excess = input.scopes.filter((s) => !principal.permissions.has(s));
    if (excess.length > 0) {
      throw new AppError('forbidden', `You cannot grant scopes you do not hold: ${excess.join(', ')}.`);
    }
    const now = clock.now();
    if (input.expiresAt && input.expiresAt <= now) {
      throw new AppError('validation_failed', 'The expiry must be in the future.', {
        errors: [{ path: 'body.expiresAt', message: 'Must be in the future' }],
      });
    }
    const key = `${KEY_PREFIX}${generateToken()}`;
    const { tenantId } = principal;
    const row = await database.tenant(tenantId, async (tx) => {
      const row = await apiKeysRepo(tx).insert(tenantId, {
        id: uuidv7(now.getTime()),
        name: input.name,
        prefix: key.slice(0, 12),
        keyHash: hashToken(key),
        scopes: [...new Set(input.scopes)],
        createdBy: actor.id,
        createdAt: now,
        expiresAt: input.expiresAt ?? null,
      });
      await audit.record(tx, tenantId, actor, {
        action: 'api_key.created',
        target: { type: 'api_key', id: row.id },
        after: { name: row.name, scopes: row.scopes, expiresAt: row.expiresAt },
      });
      return row;
    });
    return { key, row };
  }

  async function listApiKeys(tenantId: string): Promise<ApiKeyRow[]> {
    return database.tenant(tenantId, (tx) => apiKeysRepo(tx).list(tenantId));
  }

  async function revokeApiKey(tenantId: string, id: string, actor: Actor): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      const row = await apiKeysRepo(tx).revoke(tenantId, id, clock.now());
      if (!row) throw new AppError('not_found', 'No active API key with this id.');
      // Named fields only: the row also holds the key's hash, which never reaches the log.
      await audit.record(tx, tenantId, actor, {
        action: 'api_key.revoked',
        target: { type: 'api_key', id },
        before: { name: row.name, prefix: row.prefix, scopes: row.scopes, revokedAt: null },
        after: { revokedAt: row.revokedAt },
      });
    });
  }

  const authenticate: Authenticator['apiKey'] = async (presented) => {
    if (!presented.startsWith(KEY_PREFIX)) return undefined;
    const now = clock.now();
    const found = await database.read((db) => apiKeyLookup(db).byHash(hashToken(presented)));
    if (!found) return undefined;
    const { key } = found;
    if (key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return undefined;
    if (found.organizationStatus === 'suspended') {
      throw new AppError(
        'organization_suspended',
        'This organization is suspended. Contact the platform operator.',
      );
    }
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await database.system((tx) => apiKeyLookup(tx).touch(key.id, now));
    }
    const principal: Extract<Principal, { kind: 'api_key' }> = {
      kind: 'api_key',
      tenantId: key.tenantId,
      apiKeyId: key.id,
      name: key.name,
      permissions: new Set(key.scopes as Permission[]),
    };
    return principal;
  };

  return { createApiKey, listApiKeys, revokeApiKey, authenticate };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
