import { describe, expect, it } from 'vitest';
import { auditRange, describeChanges } from './auditChanges';

describe('describeChanges', () => {
  it('lists the changed fields with readable values', () => {
    expect(
      describeChanges(
        { role: 'agent', name: 'Ana', scopes: ['a'] },
        { role: 'admin', name: 'Ana', scopes: ['a', 'b'] },
      ),
    ).toEqual([
      { field: 'role', before: 'agent', after: 'admin' },
      { field: 'scopes', before: '["a"]', after: '["a","b"]' },
    ]);
    expect(describeChanges(null, { status: null })).toEqual([
      { field: 'status', before: undefined, after: '—' },
    ]);
  });
});

describe('auditRange', () => {
  it('covers whole local days and leaves out empty ends', () => {
    const range = auditRange('2026-01-01', '2026-01-02');
    expect(new Date(range.from!).getTime()).toBe(new Date(2026, 0, 1).getTime());
    expect(new Date(range.to!).getTime()).toBe(new Date(2026, 0, 3).getTime() - 1);
    expect(auditRange('', '')).toEqual({});
  });
});
