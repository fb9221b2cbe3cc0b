// The organization's custom contact attributes: each has a key, a label and a type, and contact
// values are checked against them (attribute-values.ts). The key and type are fixed once defined;
// deleting a definition removes its values from every contact in the same transaction.
import {
  MAX_ATTRIBUTES,
  type CreateAttributeDefinitionRequest,
  type UpdateAttributeDefinitionRequest,
} from '@switchboard/contracts';
import type { Actor } from '../../platform/auth/principal.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/pg-errors.ts';
import { AppError, orNotFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/security/tokens.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  ATTRIBUTE_KEY_INDEX,
  contactAttributesRepo,
  type AttributeDefinitionRow,
} from './contact-attributes.repo.ts';
import { contactsRepo } from './contacts.repo.ts';

const NOT_FOUND = 'Contact attribute not found.';

// `attribute`, not `key`: the audit log masks members named like secrets (`key`, `apiKey`).
const auditView = (d: AttributeDefinitionRow) => ({
  attribute: d.key,
  label: d.label,
  description: d.description,
  type: d.type,
  options: d.options,
});

export function createContactAttributesService(deps: {
  database: Database;
  clock: Clock;
  audit: AuditService;
}) {
  const { database, clock, audit } = deps;

  async function listDefinitions(tenantId: string): Promise<AttributeDefinitionRow[]> {
    return database.tenant(tenantId, (tx) => contactAttributesRepo(tx).list(tenantId));
  }

  async function createDefinition(
    tenantId: string,
    input: CreateAttributeDefinitionRequest,
    actor: Actor,
  ): Promise<AttributeDefinitionRow> {
    const now = clock.now();
    try {
      return await database.tenant(tenantId, async (tx) => {
        const repo = contactAttributesRepo(tx);
        await repo.lock(tenantId);
        if ((await repo.count(tenantId)) >= MAX_ATTRIBUTES) {
          throw new AppError(
            'conflict',
            `An organization has at most ${MAX_ATTRIBUTES} contact attributes; delete one first.`,
          );
        }
        const row = await repo.insert(tenantId, {
          id: uuidv7(now.getTime()),
          key: input.key,
          label: input.label,
          description: input.description ?? null,
          type: input.type,
          options: input.options ?? [],
          createdAt: now,
          updatedAt: now,
        });
        await audit.record(tx, tenantId, actor, {
          action: 'contact_attribute.created',
          target: { type: 'contact_attribute', id: row.id },
          after: auditView(row),
        });
        return row;
      });
    } catch (err) {
      if (isUniqueViolation(err, ATTRIBUTE_KEY_INDEX)) {
        throw new AppError('conflict', `An attribute with the key “${input.key}” already exists.`, {
          errors: [{ path: 'body.key', message: 'Already taken' }],
        });
      }
      throw err;
    }
  }

  /** Changing a list's options keeps the values already stored; they are checked when next written. */
  async function updateDefinition(
    tenantId: string,
    id: string,
    patch: UpdateAttributeDefinitionRequest,
    actor: Actor,
  ): Promise<AttributeDefinitionRow> {
    return database.tenant(tenantId, async (tx) => {
      const repo = contactAttributesRepo(tx);
      const before = orNotFound(await repo.findById(tenantId, id), NOT_FOUND);
      if (patch.options !== undefined && before.type !== 'list') {
        throw new AppError('unprocessable_content', `“${before.key}” is a ${before.type} attribute.`, {
          errors: [{ path: 'body.options', message: 'Only a list attribute has options' }],
        });
      }
      const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
      const changed = (['label', 'description', 'options'] as const).filter(
        (f) => patch[f] !== undefined && !same(patch[f], before[f]),
      );
      if (changed.length === 0) return before;
      const after = orNotFound(
        await repo.update(tenantId, id, {
          ...Object.fromEntries(changed.map((f) => [f, patch[f]])),
          updatedAt: clock.now(),
        }),
        NOT_FOUND,
      );
      await audit.record(tx, tenantId, actor, {
        action: 'contact_attribute.updated',
        target: { type: 'contact_attribute', id },
        before: Object.fromEntries(changed.map((f) => [f, before[f]])),
        after: Object.fromEntries(changed.map((f) => [f, after[f]])),
      });
      return after;
    });
  }

  async function deleteDefinition(tenantId: string, id: string, actor: Actor): Promise<void> {
    await database.tenant(tenantId, async (tx) => {
      const row = orNotFound(await contactAttributesRepo(tx).delete(tenantId, id), NOT_FOUND);
      const contacts = await contactsRepo(tx).removeAttribute(tenantId, row.key, clock.now());
      await audit.record(tx, tenantId, actor, {
        action: 'contact_attribute.deleted',
        target: { type: 'contact_attribute', id },
        before: auditView(row),
        after: { valuesRemovedFromContacts: contacts },
      });
    });
  }

  return { listDefinitions, createDefinition, updateDefinition, deleteDefinition };
}

export type ContactAttributesService = ReturnType<typeof createContactAttributesService>;
