import { describe, expect, it } from 'vitest';
import { countsQuery, defaultFilters, listQuery, readInboxFilters, writeInboxFilters } from './inboxFilters';

const team = '01900000-0000-7000-8000-000000000001';

describe('inbox filters', () => {
  it('reads defaults from an empty URL and ignores values that are not valid', () => {
    expect(readInboxFilters(new URLSearchParams())).toEqual(defaultFilters);
    const odd = readInboxFilters(new URLSearchParams('tab=everyone&status=closed&team=42&unread=maybe'));
    expect(odd).toEqual(defaultFilters);
  });

  it('round-trips through the URL, writing only what differs from the defaults', () => {
    const filters = {
      ...defaultFilters,
      tab: 'all' as const,
      status: 'all' as const,
      teamId: team,
      unread: true,
    };
    const params = writeInboxFilters(filters);
    expect(params.toString()).toBe(`tab=all&status=all&team=${team}&unread=true`);
    expect(readInboxFilters(params)).toEqual(filters);
    expect(writeInboxFilters(defaultFilters).toString()).toBe('');
  });

  it('asks the API for the tab’s assignee; counts ignore the tab and the unread filter', () => {
    expect(listQuery(defaultFilters)).toMatchObject({ assignee: 'me', status: 'open' });
    expect(listQuery({ ...defaultFilters, tab: 'unassigned' }).assignee).toBe('unassigned');
    expect(listQuery({ ...defaultFilters, tab: 'all', unread: false })).toMatchObject({
      assignee: undefined,
      unread: false,
    });
    expect(countsQuery({ ...defaultFilters, unread: true, priority: 'high' })).toEqual({
      status: 'open',
      priority: 'high',
      numberId: undefined,
      teamId: undefined,
      labelId: undefined,
    });
  });
});
