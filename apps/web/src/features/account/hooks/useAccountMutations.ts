import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SignedIn } from '../../auth/api/authApi';
import { meQueryKey } from '../../auth/hooks/useMe';
import { directoryKeys } from '../../directory/hooks/useDirectory';
import { changePassword, updateProfile } from '../api/accountApi';

/** Saves the profile or availability and puts the answer in the session, so the header follows at once. */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateProfile,
    onSuccess: (user) => {
      queryClient.setQueryData<SignedIn | null>(meQueryKey, (old) =>
        old === undefined || old === null ? old : { ...old, user: { ...old.user, ...user } },
      );
      // Others see the name and availability through the directory.
      void queryClient.invalidateQueries({ queryKey: directoryKeys.users });
    },
  });
}

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}
