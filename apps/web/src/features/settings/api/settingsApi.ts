// Administration endpoints. Request types come from @switchboard/contracts where it has them;
// the views it does not have yet (invitations, API keys, audit entries) are mirrored here.
import type {
  ConnectNumberRequest,
  CreateLabelRequest,
  CreateTeamRequest,
  TeamMemberView,
  TeamView,
  UpdateLabelRequest,
  UpdateNumberRequest,
  UpdateTeamRequest,
  UserView,
  WhatsappNumberView,
} from '@switchboard/contracts';
import { requestApi } from '../../../lib/api/client';
import { signalOption, withQuery, type QueryValue } from '../../../lib/api/query';
import type { Label } from '../../directory/api/directoryApi';
import type { Page } from '../../inbox/api/types';

const id = encodeURIComponent;
const items = async <T>(path: string, signal?: AbortSignal): Promise<T[]> =>
  (await requestApi<{ items: T[] }>('GET', path, signalOption(signal))).items;

export const connectNumber = (body: ConnectNumberRequest) =>
  requestApi<WhatsappNumberView>('POST', '/whatsapp/numbers', { body });
export const updateNumber = (numberId: string, body: UpdateNumberRequest) =>
  requestApi<WhatsappNumberView>('PATCH', `/whatsapp/numbers/${id(numberId)}`, { body });
export const disconnectNumber = (numberId: string) =>
  requestApi<undefined>('DELETE', `/whatsapp/numbers/${id(numberId)}`);

export interface Invitation {
  id: string;
  email: string;
  role: UserView['role'];
  expiresAt: string;
  createdAt: string;
}

export const updateUser = (
  userId: string,
  body: { role?: UserView['role']; firstName?: string; lastName?: string },
) => requestApi<UserView>('PATCH', `/users/${id(userId)}`, { body });
export const setUserActive = (userId: string, active: boolean) =>
  requestApi<UserView>('POST', `/users/${id(userId)}/${active ? 'reactivate' : 'deactivate'}`);
export const listInvitations = (signal?: AbortSignal) => items<Invitation>('/invitations', signal);
export const inviteUser = (body: { email: string; role: UserView['role'] }) =>
  requestApi<Invitation>('POST', '/invitations', { body });
export const revokeInvitation = (invitationId: string) =>
  requestApi<undefined>('DELETE', `/invitations/${id(invitationId)}`);

export const createTeam = (body: CreateTeamRequest) => requestApi<TeamView>('POST', '/teams', { body });
export const updateTeam = (teamId: string, body: UpdateTeamRequest) =>
  requestApi<TeamView>('PATCH', `/teams/${id(teamId)}`, { body });
export const deleteTeam = (teamId: string) => requestApi<undefined>('DELETE', `/teams/${id(teamId)}`);
export const listTeamMembers = (teamId: string, signal?: AbortSignal) =>
  items<TeamMemberView>(`/teams/${id(teamId)}/members`, signal);
export const addTeamMember = (teamId: string, userId: string) =>
  requestApi<TeamMemberView>('PUT', `/teams/${id(teamId)}/members/${id(userId)}`);
export const removeTeamMember = (teamId: string, userId: string) =>
  requestApi<undefined>('DELETE', `/teams/${id(teamId)}/members/${id(userId)}`);

export const createLabel = (body: CreateLabelRequest) => requestApi<Label>('POST', '/labels', { body });
export const updateLabel = (labelId: string, body: UpdateLabelRequest) =>
  requestApi<Label>('PATCH', `/labels/${id(labelId)}`, { body });
export const deleteLabel = (labelId: string) => requestApi<undefined>('DELETE', `/labels/${id(labelId)}`);

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export const listApiKeys = (signal?: AbortSignal) => items<ApiKey>('/api-keys', signal);
export const createApiKey = (body: { name: string; scopes: string[]; expiresAt?: string }) =>
  requestApi<ApiKey & { key: string }>('POST', '/api-keys', { body });
export const revokeApiKey = (keyId: string) => requestApi<undefined>('DELETE', `/api-keys/${id(keyId)}`);

export interface AuditEntry {
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const listAuditLog = (query: Record<string, QueryValue>, signal?: AbortSignal) =>
  requestApi<Page<AuditEntry>>('GET', withQuery('/audit-log', query), signalOption(signal));
