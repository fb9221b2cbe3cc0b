// An audit entry's before/after as a list of changed fields, for people rather than machines.

export interface FieldChange {
  field: string;
  before: string | undefined;
  after: string | undefined;
}

function show(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Fields whose value differs between before and after (all of them when one side is missing). */
export function describeChanges(
  before: Readonly<Record<string, unknown>> | null,
  after: Readonly<Record<string, unknown>> | null,
): FieldChange[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort();
  return fields
    .map((field) => ({ field, before: show(before?.[field]), after: show(after?.[field]) }))
    .filter((c) => c.before !== c.after);
}

/** The audit filter form's dates (YYYY-MM-DD, local) as the API's instants: `to` includes its day. */
export function auditRange(from: string, to: string): { from?: string; to?: string } {
  const at = (date: string, time: string) => new Date(`${date}T${time}`).toISOString();
  return {
    ...(from === '' ? {} : { from: at(from, '00:00:00') }),
    ...(to === '' ? {} : { to: at(to, '23:59:59.999') }),
  };
}
