import { describe, expect, it } from 'vitest';
import { attributeInput, changedAttributes, parseAttributeInput } from './attributeForm';

describe('custom attribute inputs', () => {
  it('parses each type, clearing on empty input', () => {
    expect(parseAttributeInput({ type: 'text', options: [] }, ' VIP ')).toEqual({ ok: true, value: 'VIP' });
    expect(parseAttributeInput({ type: 'number', options: [] }, '12,5')).toEqual({ ok: true, value: 12.5 });
    expect(parseAttributeInput({ type: 'number', options: [] }, 'twelve')).toEqual({
      ok: false,
      error: 'number',
    });
    expect(parseAttributeInput({ type: 'boolean', options: [] }, 'false')).toEqual({
      ok: true,
      value: false,
    });
    expect(parseAttributeInput({ type: 'date', options: [] }, '2026-02-30x')).toEqual({
      ok: false,
      error: 'date',
    });
    expect(parseAttributeInput({ type: 'date', options: [] }, '2026-02-03')).toEqual({
      ok: true,
      value: '2026-02-03',
    });
    expect(parseAttributeInput({ type: 'list', options: ['gold'] }, 'silver')).toEqual({
      ok: false,
      error: 'option',
    });
    expect(parseAttributeInput({ type: 'list', options: ['gold'] }, '')).toEqual({ ok: true, value: null });
  });

  it('shows stored values as text and sends only what changed', () => {
    expect(attributeInput(null)).toBe('');
    expect(attributeInput(3)).toBe('3');
    expect(changedAttributes({ tier: 'gold', age: 3 }, { tier: 'gold', age: 4, city: null })).toEqual({
      age: 4,
    });
  });
});
