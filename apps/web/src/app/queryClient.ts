import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { hasErrorCode, isApiError } from '../lib/api/problem';
import { meQueryKey } from '../features/auth/hooks/useMe';

/** Client errors (4xx) are answers, not glitches: retrying them only delays the message. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => handleSessionErrors(error) }),
    mutationCache: new MutationCache({ onError: (error) => handleSessionErrors(error) }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });

  /**
   * A 401 `unauthenticated` anywhere means the session ended (revoked elsewhere, expired): mark
   * the user signed out so <RequireAuth> sends them to /login. A CSRF rejection means our token is
   * stale: refetch /me, which hands out the current one.
   */
  function handleSessionErrors(error: unknown): void {
    if (hasErrorCode(error, 'unauthenticated')) queryClient.setQueryData(meQueryKey, null);
    else if (hasErrorCode(error, 'csrf_token_invalid'))
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
  }

  return queryClient;
}
