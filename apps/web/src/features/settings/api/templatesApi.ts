// A WhatsApp number's message templates, as administrators manage them (create, edit and delete
// go through to Meta; sync reads Meta's list now).
import type {
  CreateTemplateRequest,
  TemplateSyncResult,
  TemplateView,
  UpdateTemplateRequest,
} from '@switchboard/contracts';
import { requestApi } from '../../../lib/api/client';
import { signalOption, withQuery } from '../../../lib/api/query';

const id = encodeURIComponent;
const base = (numberId: string) => `/whatsapp/numbers/${id(numberId)}/templates`;

export const templateKeys = {
  all: ['whatsapp-templates'] as const,
  ofNumber: (numberId: string) => ['whatsapp-templates', numberId] as const,
};

/** Every template of the number (the API's largest page; an account rarely has more). */
export async function listTemplates(numberId: string, signal?: AbortSignal): Promise<TemplateView[]> {
  const page = await requestApi<{ items: TemplateView[] }>(
    'GET',
    withQuery(base(numberId), { limit: 500 }),
    signalOption(signal),
  );
  return page.items;
}

export const syncTemplates = (numberId: string) =>
  requestApi<TemplateSyncResult>('POST', `${base(numberId)}/sync`);
export const createTemplate = (numberId: string, body: CreateTemplateRequest) =>
  requestApi<TemplateView>('POST', base(numberId), { body });
export const updateTemplate = (numberId: string, templateId: string, body: UpdateTemplateRequest) =>
  requestApi<TemplateView>('PATCH', `${base(numberId)}/${id(templateId)}`, { body });
export const deleteTemplate = (numberId: string, templateId: string) =>
  requestApi<undefined>('DELETE', `${base(numberId)}/${id(templateId)}`);
