// The template picker's form: which values a template needs (from its `needs`), whether they are
// all given, and the `parameters` of the send built from them.
import type { TemplateParameters, TemplateView } from '@switchboard/contracts';

export interface TemplateValues {
  header: string;
  body: Readonly<Record<string, string>>;
  buttons: Readonly<Record<number, string>>;
}

export const emptyTemplateValues: TemplateValues = { header: '', body: {}, buttons: {} };

export type TemplateHeaderKind = 'none' | 'text' | 'media' | 'unsupported';

/** What the header asks for: a text parameter, a media link, nothing, or what we cannot send yet. */
export function headerKind(template: Pick<TemplateView, 'needs'>): TemplateHeaderKind {
  const header = template.needs.header;
  if (header === null) return 'none';
  if (header.format === 'TEXT') return header.parameter === null ? 'none' : 'text';
  if (header.format === 'LOCATION') return 'unsupported';
  return 'media';
}

/** Field keys (`header`, `body.<name>`, `buttons.<index>`) that still need a value. */
export function missingTemplateValues(
  template: Pick<TemplateView, 'needs'>,
  values: TemplateValues,
): string[] {
  const missing: string[] = [];
  const kind = headerKind(template);
  if ((kind === 'text' || kind === 'media') && values.header.trim() === '') missing.push('header');
  for (const name of template.needs.body)
    if ((values.body[name] ?? '').trim() === '') missing.push(`body.${name}`);
  for (const button of template.needs.buttons) {
    if (button.required && (values.buttons[button.index] ?? '').trim() === '')
      missing.push(`buttons.${button.index}`);
  }
  return missing;
}

export function buildTemplateParameters(
  template: Pick<TemplateView, 'needs' | 'parameterFormat'>,
  values: TemplateValues,
): TemplateParameters {
  const parameters: TemplateParameters = {};
  const kind = headerKind(template);
  const headerValue = values.header.trim();
  if (kind === 'text' && headerValue !== '') parameters.header = { type: 'text', text: headerValue };
  const format = template.needs.header?.format;
  if (kind === 'media' && headerValue !== '') {
    const type = format === 'VIDEO' ? 'video' : format === 'DOCUMENT' ? 'document' : 'image';
    parameters.header = { type, link: headerValue };
  }
  const names = template.needs.body;
  if (names.length > 0) {
    parameters.body =
      template.parameterFormat === 'named'
        ? Object.fromEntries(names.map((name) => [name, (values.body[name] ?? '').trim()]))
        : names.map((name) => (values.body[name] ?? '').trim());
  }
  const buttons = template.needs.buttons
    .map((b) => ({ index: b.index, value: (values.buttons[b.index] ?? '').trim() }))
    .filter((b) => b.value !== '');
  if (buttons.length > 0) parameters.buttons = buttons;
  return parameters;
}
