import { describe, expect, it } from 'vitest';
import { applyAttributes, isCalendarDate, type AttributeDefinition } from './attribute-values.ts';

const definitions: AttributeDefinition[] = [
  { key: 'plan', type: 'list', options: ['gold', 'silver'] },
  { key: 'seats', type: 'number', options: [] },
  { key: 'vip', type: 'boolean', options: [] },
  { key: 'renewal', type: 'date', options: [] },
  { key: 'notes', type: 'text', options: [] },
];

describe('custom attribute values', () => {
  it('sets what is given, removes nulls and keeps the rest', () => {
    const { attributes, issues } = applyAttributes(
      definitions,
      { plan: 'gold', seats: 2, legacy: 'x' },
      { seats: 5, vip: false, renewal: '2024-02-29', notes: '', plan: null, legacy: null },
    );
    expect(issues).toEqual([]);
    expect(attributes).toEqual({ seats: 5, vip: false, renewal: '2024-02-29', notes: '' });
  });

  it('lists every problem with its path, and changes nothing then', () => {
    const { issues } = applyAttributes(
      definitions,
      {},
      {
        plan: 'bronze',
        seats: '5',
        vip: 'yes',
        renewal: '2023-02-29',
        notes: 7,
        unknown: 1,
        missing: null,
        constructor: null,
      },
    );
    expect(issues).toEqual([
      { path: 'body.attributes.plan', message: 'Must be one of: gold, silver' },
      { path: 'body.attributes.seats', message: 'Must be a number' },
      { path: 'body.attributes.vip', message: 'Must be true or false' },
      { path: 'body.attributes.renewal', message: 'Must be a date as YYYY-MM-DD' },
      { path: 'body.attributes.notes', message: 'Must be text' },
      { path: 'body.attributes.unknown', message: 'Unknown attribute: define it first' },
      { path: 'body.attributes.missing', message: 'Unknown attribute: define it first' },
      { path: 'body.attributes.constructor', message: 'Unknown attribute: define it first' },
    ]);
  });

  it('knows real calendar days', () => {
    expect(['2024-02-29', '1999-12-31', '2000-01-01'].every(isCalendarDate)).toBe(true);
    expect(['2023-02-29', '2024-13-01', '2024-1-01', '2024-01-01T00:00:00Z', ''].some(isCalendarDate)).toBe(
      false,
    );
  });
});
