import { requestApi } from '../../../lib/api/client';

export interface UserSession {
  id: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export async function listSessions(signal?: AbortSignal): Promise<UserSession[]> {
  const page = await requestApi<{ items: UserSession[] }>(
    'GET',
    '/auth/sessions',
    signal === undefined ? {} : { signal },
  );
  return page.items;
}

export async function revokeSession(id: string): Promise<void> {
  await requestApi<undefined>('DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
}
