// The organization's reference lists that many screens share: people, teams, labels and numbers.
import type { TeamView, UserView, WhatsappNumberView } from '@switchboard/contracts';
import { requestApi } from '../../../lib/api/client';
import { signalOption } from '../../../lib/api/query';

/** The API's Label view (GET /api/v1/labels); not in @switchboard/contracts yet. */
export interface Label {
  id: string;
  name: string;
  description: string | null;
  color: string;
  createdAt: string;
  updatedAt: string;
}

const items = async <T>(path: string, signal?: AbortSignal): Promise<T[]> =>
  (await requestApi<{ items: T[] }>('GET', path, signalOption(signal))).items;

export const listUsers = (signal?: AbortSignal) => items<UserView>('/users', signal);
export const listTeams = (signal?: AbortSignal) => items<TeamView>('/teams', signal);
export const listLabels = (signal?: AbortSignal) => items<Label>('/labels', signal);
export const listNumbers = (signal?: AbortSignal) => items<WhatsappNumberView>('/whatsapp/numbers', signal);
