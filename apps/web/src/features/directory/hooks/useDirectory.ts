import { useQuery } from '@tanstack/react-query';
import { listLabels, listNumbers, listTeams, listUsers } from '../api/directoryApi';
import { useSession } from '../../auth/hooks/useMe';

export const directoryKeys = {
  users: ['directory', 'users'] as const,
  teams: ['directory', 'teams'] as const,
  labels: ['directory', 'labels'] as const,
  numbers: ['directory', 'numbers'] as const,
};

const staleTime = 60_000;

/** Whether the signed-in user holds a permission (the API decides; this only hides what would fail). */
export function useCan(permission: string): boolean {
  return useSession().user.permissions.includes(permission);
}

export function useUsers() {
  const enabled = useCan('users.read');
  return useQuery({
    queryKey: directoryKeys.users,
    queryFn: ({ signal }) => listUsers(signal),
    staleTime,
    enabled,
  });
}

export function useTeams() {
  return useQuery({ queryKey: directoryKeys.teams, queryFn: ({ signal }) => listTeams(signal), staleTime });
}

export function useLabels() {
  return useQuery({ queryKey: directoryKeys.labels, queryFn: ({ signal }) => listLabels(signal), staleTime });
}

export function useNumbers() {
  const enabled = useCan('organization.read');
  return useQuery({
    queryKey: directoryKeys.numbers,
    queryFn: ({ signal }) => listNumbers(signal),
    staleTime,
    enabled,
  });
}

/** "Ana Souza", or the email when a user has no name. */
export function userName(user: { firstName: string; lastName: string; email?: string }): string {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return name === '' ? (user.email ?? '') : name;
}
