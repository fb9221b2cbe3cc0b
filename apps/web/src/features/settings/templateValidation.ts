// Checks of the template form before it is sent: the contract's own schemas (name, language,
// lengths), then what Meta requires and the schemas cannot see: an example for every parameter,
// a sample for a media header, each button's required parts. Messages in the user's language.
import {
  createTemplateRequestSchema,
  templateLanguageSchema,
  templateNameSchema,
  updateTemplateRequestSchema,
} from '@switchboard/contracts';
import type { Translate } from '../../lib/i18n/types';
import { issueMessage } from '../../lib/zodErrors';
import {
  buildCreateRequest,
  buildUpdateRequest,
  fieldOfIssue,
  parametersOf,
  type TemplateFormState,
} from './templateForm';

const blank = (v: string) => v.trim() === '';

export function checkTemplateForm(
  s: TemplateFormState,
  mode: 'create' | 'edit',
  t: Translate,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const add = (field: string, message: string) => {
    errors[field] ??= message;
  };
  if (mode === 'create') {
    if (!templateNameSchema.safeParse(s.name).success) add('name', t('templatesAdmin.nameInvalid'));
    if (!templateLanguageSchema.safeParse(s.language).success)
      add('language', t('templatesAdmin.languageInvalid'));
  }
  if (s.headerFormat === 'TEXT') {
    if (blank(s.headerText)) add('header.text', t('validation.required'));
    if (parametersOf(s.headerText, s.parameterFormat).length > 0 && blank(s.headerExample))
      add('header.example', t('templatesAdmin.exampleRequired'));
  } else if (s.headerFormat !== 'NONE' && blank(s.headerHandle)) {
    add('header.handle', t('validation.required'));
  }
  if (blank(s.body)) add('body.text', t('validation.required'));
  for (const p of parametersOf(s.body, s.parameterFormat)) {
    if (blank(s.bodyExamples[p] ?? '')) add(`body.examples.${p}`, t('templatesAdmin.exampleRequired'));
  }
  s.buttons.forEach((b, i) => {
    if (b.type !== 'COPY_CODE' && blank(b.text)) add(`buttons.${i}.text`, t('validation.required'));
    if (b.type === 'URL') {
      if (!/^https?:\/\/\S+$/.test(b.url.trim())) add(`buttons.${i}.url`, t('templatesAdmin.urlInvalid'));
      else if (b.url.includes('{{') && blank(b.example))
        add(`buttons.${i}.example`, t('templatesAdmin.exampleRequired'));
    }
    if (b.type === 'PHONE_NUMBER' && blank(b.phoneNumber))
      add(`buttons.${i}.phoneNumber`, t('validation.required'));
    if (b.type === 'COPY_CODE' && blank(b.example)) add(`buttons.${i}.example`, t('validation.required'));
  });
  if (Object.keys(errors).length > 0) return errors;
  // What is left: lengths and shapes only the contract's schema knows.
  const { request, layout } = mode === 'create' ? buildCreateRequest(s) : buildUpdateRequest(s);
  const parsed =
    mode === 'create'
      ? createTemplateRequestSchema.safeParse(request)
      : updateTemplateRequestSchema.safeParse(request);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      add(fieldOfIssue(issue.path.map(String).join('.'), layout), issueMessage(issue, t));
  }
  return errors;
}
