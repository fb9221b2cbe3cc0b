import { requestApi } from '../../../lib/api/client';
import { signalOption, withQuery } from '../../../lib/api/query';

/** The API's CannedResponse view; not in @switchboard/contracts yet. */
export interface CannedResponse {
  id: string;
  shortCode: string;
  content: string;
  variables: string[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export async function listCannedResponses(
  q: string | undefined,
  signal?: AbortSignal,
): Promise<CannedResponse[]> {
  const page = await requestApi<{ items: CannedResponse[] }>(
    'GET',
    withQuery('/canned-responses', { q, limit: 100 }),
    signalOption(signal),
  );
  return page.items;
}

export function renderCannedResponse(
  id: string,
  conversationId: string,
): Promise<{ text: string; missing: string[] }> {
  return requestApi('POST', `/canned-responses/${encodeURIComponent(id)}/render`, {
    body: { conversationId },
  });
}

export function createCannedResponse(input: { shortCode: string; content: string }): Promise<CannedResponse> {
  return requestApi('POST', '/canned-responses', { body: input });
}

export function updateCannedResponse(
  id: string,
  input: { shortCode?: string; content?: string },
): Promise<CannedResponse> {
  return requestApi('PATCH', `/canned-responses/${encodeURIComponent(id)}`, { body: input });
}

export async function deleteCannedResponse(id: string): Promise<void> {
  await requestApi<undefined>('DELETE', `/canned-responses/${encodeURIComponent(id)}`);
}
