import { describe, expect, it } from 'vitest';
import { withQuery } from './query';

describe('withQuery', () => {
  it('leaves out unset values and encodes the rest', () => {
    expect(withQuery('/conversations', { status: 'open,pending', assignee: undefined, q: '', n: 0 })).toBe(
      '/conversations?status=open%2Cpending&n=0',
    );
    expect(withQuery('/x', { a: null })).toBe('/x');
    expect(withQuery('/x', { unread: true })).toBe('/x?unread=true');
  });
});
