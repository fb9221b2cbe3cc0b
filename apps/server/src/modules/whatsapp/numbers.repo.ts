import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/database.ts';
import { insertedRow } from '../../platform/db/rows.ts';
import { whatsappNumbers } from './whatsapp.tables.ts';

export type WhatsappNumberRow = typeof whatsappNumbers.$inferSelect;
export type NewWhatsappNumberRow = Omit<WhatsappNumberRow, 'tenantId'>;
export type WhatsappNumberPatch = Partial<
  Omit<WhatsappNumberRow, 'id' | 'tenantId' | 'phoneNumberId' | 'wabaId' | 'createdAt'>
>;

/** The unique index that makes a phone number id belong to one organization on the platform. */
export const PHONE_NUMBER_ID_KEY = 'whatsapp_numbers_phone_number_id_key';

export const numbersRepo = (tx: Executor) => ({
  /**
   * Serializes connections within one organization until the transaction ends, so two concurrent
   * connects cannot both pass the plan-limit count.
   */
  async lockForConnect(tenantId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('whatsapp_numbers'), hashtext(${tenantId}))`);
  },
  async insert(tenantId: string, row: NewWhatsappNumberRow): Promise<WhatsappNumberRow> {
    return insertedRow(
      await tx
        .insert(whatsappNumbers)
        .values({ ...row, tenantId })
        .returning(),
    );
  },
  async list(tenantId: string): Promise<WhatsappNumberRow[]> {
    return tx
      .select()
      .from(whatsappNumbers)
      .where(eq(whatsappNumbers.tenantId, tenantId))
      .orderBy(asc(whatsappNumbers.createdAt), asc(whatsappNumbers.id));
  },
  async count(tenantId: string): Promise<number> {
    const [row] = await tx
      .select({ n: count() })
      .from(whatsappNumbers)
      .where(eq(whatsappNumbers.tenantId, tenantId));
    return row?.n ?? 0;
  },
  async findById(tenantId: string, id: string): Promise<WhatsappNumberRow | undefined> {
    const [row] = await tx
      .select()
      .from(whatsappNumbers)
      .where(and(eq(whatsappNumbers.tenantId, tenantId), eq(whatsappNumbers.id, id)));
    return row;
  },
  /** The send throughput (messages per second) of numbers of several organizations, by id. */
  async throughputOf(numbers: readonly { tenantId: string; id: string }[]): Promise<Map<string, number>> {
    if (numbers.length === 0) return new Map();
    const rows = await tx
      .select({ id: whatsappNumbers.id, mps: whatsappNumbers.throughputMps })
      .from(whatsappNumbers)
      .where(
        sql`(${whatsappNumbers.tenantId}, ${whatsappNumbers.id}) in (select (v->>'tenantId')::uuid, (v->>'id')::uuid
            from jsonb_array_elements(${JSON.stringify(numbers)}::jsonb) v)`,
      );
    return new Map(rows.map((r) => [r.id, r.mps]));
  },
  async findByPhoneNumberId(tenantId: string, phoneNumberId: string): Promise<WhatsappNumberRow | undefined> {
    const [row] = await tx
      .select()
      .from(whatsappNumbers)
      .where(and(eq(whatsappNumbers.tenantId, tenantId), eq(whatsappNumbers.phoneNumberId, phoneNumberId)));
    return row;
  },
  async update(
    tenantId: string,
    id: string,
    patch: WhatsappNumberPatch,
  ): Promise<WhatsappNumberRow | undefined> {
    const [row] = await tx
      .update(whatsappNumbers)
      .set(patch)
      .where(and(eq(whatsappNumbers.tenantId, tenantId), eq(whatsappNumbers.id, id)))
      .returning();
    return row;
  },
  async delete(tenantId: string, id: string): Promise<WhatsappNumberRow | undefined> {
    const [row] = await tx
      .delete(whatsappNumbers)
      .where(and(eq(whatsappNumbers.tenantId, tenantId), eq(whatsappNumbers.id, id)))
      .returning();
    return row;
  },
});

/**
 * Platform-level lookups for the webhook intake, which learns the organization from the number
 * (system transactions only). Full rows: the caller decides what to do with each tenant's number.
 */
export const numberLookup = (tx: Executor) => ({
  async byPhoneNumberIds(ids: readonly string[]): Promise<WhatsappNumberRow[]> {
    if (ids.length === 0) return [];
    return tx
      .select()
      .from(whatsappNumbers)
      .where(inArray(whatsappNumbers.phoneNumberId, [...new Set(ids)]));
  },
  async byWabaIds(ids: readonly string[]): Promise<WhatsappNumberRow[]> {
    if (ids.length === 0) return [];
    return tx
      .select()
      .from(whatsappNumbers)
      .where(inArray(whatsappNumbers.wabaId, [...new Set(ids)]))
      .orderBy(asc(whatsappNumbers.createdAt), asc(whatsappNumbers.id));
  },
  /** Several organizations may have chosen the same verify token: every match is returned. */
  async byVerifyTokenHash(hash: string): Promise<WhatsappNumberRow[]> {
    return tx
      .select()
      .from(whatsappNumbers)
      .where(eq(whatsappNumbers.verifyTokenHash, hash))
      .orderBy(asc(whatsappNumbers.createdAt), asc(whatsappNumbers.id));
  },
});
