import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import {
  acceptInvitation,
  confirmPasswordReset,
  login,
  logout,
  requestPasswordReset,
  type SignedIn,
} from '../api/authApi';
import { meQueryKey } from './useMe';

/** Stores a fresh session in the cache so protected screens render without refetching /me. */
function useStoreSession() {
  const queryClient = useQueryClient();
  return (signedIn: SignedIn) => queryClient.setQueryData(meQueryKey, signedIn);
}

export function useLogin() {
  const storeSession = useStoreSession();
  return useMutation({ mutationFn: login, onSuccess: storeSession });
}

export function useAcceptInvitation() {
  const storeSession = useStoreSession();
  return useMutation({ mutationFn: acceptInvitation, onSuccess: storeSession });
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: requestPasswordReset });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: ({ token, password }: { token: string; password: string }) =>
      confirmPasswordReset(token, password),
  });
}

/** Signs out, drops every cached query (they belong to the old session) and goes to /login. */
export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: logout,
    onSuccess: async () => {
      await navigate('/login', { replace: true });
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}
