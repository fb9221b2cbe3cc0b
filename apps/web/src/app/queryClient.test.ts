import { describe, expect, it } from 'vitest';
import { meQueryKey } from '../features/auth/hooks/useMe';
import { ApiError, parseProblem } from '../lib/api/problem';
import { createQueryClient, shouldRetry } from './queryClient';

const apiError = (status: number, code: string) =>
  new ApiError(parseProblem(status, JSON.stringify({ code })));

describe('shouldRetry', () => {
  it('never retries client errors, retries others twice', () => {
    expect(shouldRetry(0, apiError(401, 'unauthenticated'))).toBe(false);
    expect(shouldRetry(0, apiError(429, 'rate_limited'))).toBe(false);
    expect(shouldRetry(0, apiError(503, 'not_ready'))).toBe(true);
    expect(shouldRetry(1, apiError(0, 'network_error'))).toBe(true);
    expect(shouldRetry(2, apiError(0, 'network_error'))).toBe(false);
  });
});

describe('createQueryClient', () => {
  it('marks the user signed out when any request answers 401 unauthenticated', async () => {
    const client = createQueryClient();
    client.setQueryData(meQueryKey, { signedIn: true });
    await expect(
      client.query({
        queryKey: ['auth', 'sessions'],
        queryFn: () => Promise.reject(apiError(401, 'unauthenticated')),
      }),
    ).rejects.toThrow();
    expect(client.getQueryData(meQueryKey)).toBeNull();
    client.clear();
  });
});
