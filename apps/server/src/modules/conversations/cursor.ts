// Opaque keyset cursors over (time, id): base64url of `[iso, uuid]`. A forged or corrupted cursor is
// a 400 naming `query.cursor`, never a 500 from a value PostgreSQL cannot take.
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';

export interface Keyset {
  at: Date;
  id: string;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

const cursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);

export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [iso, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    const at = new Date(iso);
    if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1) throw new Error('bad cursor');
    return { at, id };
  } catch {
    throw new AppError('validation_failed', 'The cursor is not valid.', {
      errors: [{ path: 'query.cursor', message: 'Not a cursor returned by this endpoint' }],
    });
  }
}

/** Splits a `limit + 1` fetch into the page and the cursor of its last item when more follow. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  key: (row: T) => Keyset,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (rows.length <= limit || last === undefined) return { items, nextCursor: null };
  const k = key(last);
  return { items, nextCursor: encodeCursor(k.at, k.id) };
}
