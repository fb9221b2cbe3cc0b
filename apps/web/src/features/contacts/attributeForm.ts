// Custom attribute values between the API's typed values and the strings of form inputs.
import type { AttributeDefinition, AttributeValue } from './api/contactsApi';

/** The input's text for a stored value ('' for none). */
export function attributeInput(value: AttributeValue | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

export type ParsedAttribute =
  { ok: true; value: AttributeValue } | { ok: false; error: 'number' | 'date' | 'option' };

/** The typed value to send for an input's text: empty clears; numbers, dates and options are checked. */
export function parseAttributeInput(
  definition: Pick<AttributeDefinition, 'type' | 'options'>,
  raw: string,
): ParsedAttribute {
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  switch (definition.type) {
    case 'text':
      return { ok: true, value: text };
    case 'number': {
      const value = Number(text.replace(',', '.'));
      return Number.isFinite(value) ? { ok: true, value } : { ok: false, error: 'number' };
    }
    case 'boolean':
      return { ok: true, value: text === 'true' };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))
        ? { ok: true, value: text }
        : { ok: false, error: 'date' };
    case 'list':
      return definition.options.includes(text) ? { ok: true, value: text } : { ok: false, error: 'option' };
  }
}

/** Only the attributes whose value changed, for PATCH /contacts/{id}. */
export function changedAttributes(
  before: Readonly<Record<string, AttributeValue>>,
  after: Readonly<Record<string, AttributeValue>>,
): Record<string, AttributeValue> {
  const changes: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(after)) {
    if ((before[key] ?? null) !== value) changes[key] = value;
  }
  return changes;
}
