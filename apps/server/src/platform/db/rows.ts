/** The row an INSERT ... RETURNING must give back. */
export function insertedRow<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('INSERT ... RETURNING returned no row');
  return row;
}
