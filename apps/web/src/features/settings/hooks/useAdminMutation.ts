import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

/** A settings change that refreshes the lists it affects once it succeeds. */
export function useAdminMutation<TInput, TResult>(
  fn: (input: TInput) => Promise<TResult>,
  invalidate: readonly QueryKey[],
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all(invalidate.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
}
