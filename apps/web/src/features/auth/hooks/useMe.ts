import { useQuery } from '@tanstack/react-query';
import { fetchMe, type SignedIn } from '../api/authApi';

export const meQueryKey = ['me'] as const;

/** The signed-in session (null when signed out). Shared cache: every caller gets the same data. */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 5 * 60_000,
  });
}

/** For screens under <RequireAuth>, where the session is known to be loaded. */
export function useSession(): SignedIn {
  const { data } = useMe();
  if (data === undefined || data === null) throw new Error('useSession must be used under <RequireAuth>');
  return data;
}
