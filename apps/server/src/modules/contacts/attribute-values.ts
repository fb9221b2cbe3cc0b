// Checks custom attribute values against the organization's definitions. Pure: the service loads
// the definitions and the contact, this decides the new attribute set or lists every problem.
import { MAX_ATTRIBUTES, type AttributeType } from '@switchboard/contracts';
import type { FieldIssue } from '../../platform/errors.ts';

export type AttributeValue = string | number | boolean | null;
export type Attributes = Record<string, AttributeValue>;

export interface AttributeDefinition {
  key: string;
  type: AttributeType;
  options: string[];
}

/** `YYYY-MM-DD` naming a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Why `value` does not fit `definition`, or undefined when it does. */
export function valueProblem(
  definition: AttributeDefinition,
  value: Exclude<AttributeValue, null>,
): string | undefined {
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'Must be text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'Must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'Must be true or false';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? undefined : 'Must be a date as YYYY-MM-DD';
    case 'list':
      return typeof value === 'string' && definition.options.includes(value)
        ? undefined
        : `Must be one of: ${definition.options.join(', ')}`;
  }
}

/**
 * Applies a partial change to a contact's attributes: each key given is set, `null` removes it,
 * keys not given are kept. A key must be defined, except that `null` may also remove a key the
 * contact holds without a definition (values stored before definitions existed). Every problem
 * is reported, each at `body.attributes.<key>`.
 */
export function applyAttributes(
  definitions: readonly AttributeDefinition[],
  current: Attributes,
  change: Attributes,
): { attributes: Attributes; issues: FieldIssue[] } {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const attributes = new Map(Object.entries(current));
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(change)) {
    const path = `body.attributes.${key}`;
    const definition = byKey.get(key);
    if (value === null) {
      if (definition || attributes.has(key)) attributes.delete(key);
      else issues.push({ path, message: 'Unknown attribute: define it first' });
      continue;
    }
    if (!definition) {
      issues.push({ path, message: 'Unknown attribute: define it first' });
      continue;
    }
    const problem = valueProblem(definition, value);
    if (problem) issues.push({ path, message: problem });
    else attributes.set(key, value);
  }
  if (issues.length === 0 && attributes.size > MAX_ATTRIBUTES) {
    issues.push({ path: 'body.attributes', message: `At most ${MAX_ATTRIBUTES} attributes` });
  }
  return { attributes: Object.fromEntries(attributes), issues };
}
