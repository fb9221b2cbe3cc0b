// The template form's state (strings, as inputs hold them), the Graph components built from it,
// its live preview, and where each of the server's issues belongs. Pure, so it is unit-tested.
import type { CreateTemplateRequest, TemplateView, UpdateTemplateRequest } from '@switchboard/contracts';

export const headerFormats = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'] as const;
export type HeaderFormat = (typeof headerFormats)[number];
export const buttonTypes = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE'] as const;
export type ButtonType = (typeof buttonTypes)[number];
export type ParameterFormat = 'positional' | 'named';

export interface ButtonState {
  type: ButtonType;
  text: string;
  url: string;
  phoneNumber: string;
  /** The full example URL (URL buttons with `{{1}}`) or the example code (COPY_CODE). */
  example: string;
}

export interface TemplateFormState {
  name: string;
  language: string;
  category: string;
  parameterFormat: ParameterFormat;
  headerFormat: HeaderFormat;
  headerText: string;
  headerExample: string;
  /** A sample's upload handle (Resumable Upload API), which Meta requires for a media header. */
  headerHandle: string;
  body: string;
  /** Example per body parameter, by its name (`1`, `first_name`). */
  bodyExamples: Record<string, string>;
  footer: string;
  buttons: ButtonState[];
}

export const MAX_BUTTONS = 10;

export function emptyTemplateForm(): TemplateFormState {
  return {
    name: '',
    language: 'en_US',
    category: 'UTILITY',
    parameterFormat: 'positional',
    headerFormat: 'NONE',
    headerText: '',
    headerExample: '',
    headerHandle: '',
    body: '',
    bodyExamples: {},
    footer: '',
    buttons: [],
  };
}

export function emptyButton(type: ButtonType = 'QUICK_REPLY'): ButtonState {
  return { type, text: '', url: '', phoneNumber: '', example: '' };
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** The distinct parameters of a text: positional ones in numeric order, named ones as written. */
export function parametersOf(text: string, format: ParameterFormat): string[] {
  const names = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].filter((n) => n !== '');
  return format === 'positional' && names.every((n) => /^\d+$/.test(n))
    ? names.sort((a, b) => Number(a) - Number(b))
    : names;
}

/** Replaces each `{{name}}` with its value; a parameter without one stays visible as written. */
export function fillParameters(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (match, name: string) => {
    const value = values[name]?.trim() ?? '';
    return value === '' ? match : value;
  });
}

type Component = Record<string, unknown>;
const record = (v: unknown): Component =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Component) : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** Graph's component kinds in the order the form builds them; issue paths index into this. */
export type ComponentKind = 'header' | 'body' | 'footer' | 'buttons';

/** The components the form describes, and which kind each index is. */
export function buildComponents(s: TemplateFormState): { components: Component[]; layout: ComponentKind[] } {
  const components: Component[] = [];
  const layout: ComponentKind[] = [];
  const named = s.parameterFormat === 'named';
  if (s.headerFormat === 'TEXT') {
    const params = parametersOf(s.headerText, s.parameterFormat);
    const header: Component = { type: 'HEADER', format: 'TEXT', text: s.headerText.trim() };
    if (params.length > 0) {
      header['example'] = named
        ? {
            header_text_named_params: params.map((p) => ({ param_name: p, example: s.headerExample.trim() })),
          }
        : { header_text: [s.headerExample.trim()] };
    }
    components.push(header);
    layout.push('header');
  } else if (s.headerFormat !== 'NONE') {
    components.push({
      type: 'HEADER',
      format: s.headerFormat,
      example: { header_handle: [s.headerHandle.trim()] },
    });
    layout.push('header');
  }
  const body: Component = { type: 'BODY', text: s.body.trim() };
  const params = parametersOf(s.body, s.parameterFormat);
  if (params.length > 0) {
    const example = (p: string) => s.bodyExamples[p]?.trim() ?? '';
    body['example'] = named
      ? { body_text_named_params: params.map((p) => ({ param_name: p, example: example(p) })) }
      : { body_text: [params.map(example)] };
  }
  components.push(body);
  layout.push('body');
  if (s.footer.trim() !== '') {
    components.push({ type: 'FOOTER', text: s.footer.trim() });
    layout.push('footer');
  }
  if (s.buttons.length > 0) {
    components.push({ type: 'BUTTONS', buttons: s.buttons.map(buildButton) });
    layout.push('buttons');
  }
  return { components, layout };
}

function buildButton(b: ButtonState): Component {
  switch (b.type) {
    case 'URL': {
      const url = b.url.trim();
      return {
        type: 'URL',
        text: b.text.trim(),
        url,
        ...(url.includes('{{') && b.example.trim() !== '' ? { example: [b.example.trim()] } : {}),
      };
    }
    case 'PHONE_NUMBER':
      return { type: 'PHONE_NUMBER', text: b.text.trim(), phone_number: b.phoneNumber.trim() };
    case 'COPY_CODE':
      return { type: 'COPY_CODE', example: b.example.trim() };
    case 'QUICK_REPLY':
      return { type: 'QUICK_REPLY', text: b.text.trim() };
  }
}

export function buildCreateRequest(s: TemplateFormState): {
  request: CreateTemplateRequest;
  layout: ComponentKind[];
} {
  const { components, layout } = buildComponents(s);
  return {
    request: {
      name: s.name.trim(),
      language: s.language.trim(),
      category: s.category as CreateTemplateRequest['category'],
      parameterFormat: s.parameterFormat,
      components: components as CreateTemplateRequest['components'],
    },
    layout,
  };
}

/** An edit sends the components and the category: Meta's only editable parts. */
export function buildUpdateRequest(s: TemplateFormState): {
  request: UpdateTemplateRequest;
  layout: ComponentKind[];
} {
  const { components, layout } = buildComponents(s);
  return {
    request: {
      category: s.category as NonNullable<UpdateTemplateRequest['category']>,
      components: components as NonNullable<UpdateTemplateRequest['components']>,
    },
    layout,
  };
}

/** The form for an existing template, read from Graph's components. */
export function templateFormFrom(
  t: Pick<TemplateView, 'name' | 'language' | 'category' | 'parameterFormat' | 'components'>,
): TemplateFormState {
  const s = emptyTemplateForm();
  s.name = t.name;
  s.language = t.language;
  s.category = t.category;
  s.parameterFormat = t.parameterFormat;
  for (const c of t.components) {
    const type = str(c['type']).toUpperCase();
    const example = record(c['example']);
    if (type === 'HEADER') {
      const format = str(c['format']).toUpperCase();
      s.headerFormat = (headerFormats as readonly string[]).includes(format)
        ? (format as HeaderFormat)
        : 'NONE';
      s.headerText = str(c['text']);
      const named = Array.isArray(example['header_text_named_params'])
        ? (example['header_text_named_params'] as unknown[]).map(record)
        : [];
      s.headerExample = strings(example['header_text'])[0] ?? str(named[0]?.['example']);
      s.headerHandle = strings(example['header_handle'])[0] ?? '';
    } else if (type === 'BODY') {
      s.body = str(c['text']);
      const params = parametersOf(s.body, s.parameterFormat);
      const row = Array.isArray(example['body_text']) ? strings(example['body_text'][0]) : [];
      params.forEach((p, i) => {
        if (row[i] !== undefined) s.bodyExamples[p] = row[i];
      });
      if (Array.isArray(example['body_text_named_params'])) {
        for (const n of (example['body_text_named_params'] as unknown[]).map(record))
          s.bodyExamples[str(n['param_name'])] = str(n['example']);
      }
    } else if (type === 'FOOTER') {
      s.footer = str(c['text']);
    } else if (type === 'BUTTONS' && Array.isArray(c['buttons'])) {
      s.buttons = (c['buttons'] as unknown[]).map(record).flatMap((b): ButtonState[] => {
        const kind = str(b['type']).toUpperCase();
        if (!(buttonTypes as readonly string[]).includes(kind)) return [];
        const ex = typeof b['example'] === 'string' ? b['example'] : (strings(b['example'])[0] ?? '');
        return [
          {
            type: kind as ButtonType,
            text: str(b['text']),
            url: str(b['url']),
            phoneNumber: str(b['phone_number']),
            example: ex,
          },
        ];
      });
    }
  }
  return s;
}

export interface PreviewModel {
  header:
    { kind: 'text'; text: string } | { kind: 'media'; format: Exclude<HeaderFormat, 'NONE' | 'TEXT'> } | null;
  body: string;
  footer: string | null;
  buttons: { type: ButtonType; text: string }[];
}

/** What the customer would see with the examples filled in. */
export function previewOf(s: TemplateFormState): PreviewModel {
  const headerParams = parametersOf(s.headerText, s.parameterFormat);
  const headerValues: Record<string, string> =
    headerParams[0] === undefined ? {} : { [headerParams[0]]: s.headerExample };
  return {
    header:
      s.headerFormat === 'NONE'
        ? null
        : s.headerFormat === 'TEXT'
          ? { kind: 'text', text: fillParameters(s.headerText, headerValues) }
          : { kind: 'media', format: s.headerFormat },
    body: fillParameters(s.body, s.bodyExamples),
    footer: s.footer.trim() === '' ? null : s.footer,
    buttons: s.buttons.map((b) => ({ type: b.type, text: b.type === 'COPY_CODE' ? b.example : b.text })),
  };
}

const buttonFields: Readonly<Record<string, string>> = {
  text: 'text',
  url: 'url',
  phone_number: 'phoneNumber',
  example: 'example',
};

/**
 * The form field an issue's path names (`components.1.example.body_text` → `body.examples`), as
 * the request was built with `layout`; '' when it belongs to no single field. Paths come with or
 * without the `body.` prefix.
 */
export function fieldOfIssue(path: string, layout: readonly ComponentKind[]): string {
  const parts = path.replace(/^body\./, '').split('.');
  const [first, index, ...rest] = parts;
  if (first === 'name' || first === 'language' || first === 'category' || first === 'parameterFormat')
    return first;
  if (first !== 'components') return '';
  const kind = index === undefined ? undefined : layout[Number(index)];
  if (kind === undefined) return 'body.text';
  const [field, ...more] = rest;
  if (kind === 'header') {
    if (field === 'text') return 'header.text';
    if (field === 'example') return more[0] === 'header_handle' ? 'header.handle' : 'header.example';
    return 'header.format';
  }
  if (kind === 'body') return field === 'example' ? 'body.examples' : 'body.text';
  if (kind === 'footer') return 'footer.text';
  if (field === 'buttons' && more[0] !== undefined) {
    const sub = buttonFields[more[1] ?? ''] ?? 'text';
    return `buttons.${more[0]}.${sub}`;
  }
  return 'buttons';
}

/** Issues by form field; the first message per field wins, the rest go to `''`. */
export function fieldErrorsOf(
  issues: readonly { path: string; message: string }[],
  layout: readonly ComponentKind[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[fieldOfIssue(issue.path, layout)] ??= issue.message;
  return errors;
}
