// What a template is made of, read from Graph's components (UPPERCASE types, as Graph returns
// them): its header, body and footer texts, the parameters each takes, and the buttons that take
// a value at send time. Pure: no database, no Graph.

export type GraphComponents = Record<string, unknown>[];
export type ParameterFormat = 'positional' | 'named';
export type HeaderFormat = 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
export type ButtonValue = 'url_suffix' | 'payload' | 'coupon_code' | 'otp_code';

export interface ShapeButton {
  /** Position in the BUTTONS component: the `index` of a send's button parameter. */
  index: number;
  type: string;
  text: string;
  url?: string;
  phoneNumber?: string;
  /** What the button takes at send time, if anything. */
  value: ButtonValue | null;
  required: boolean;
}

export interface TemplateShape {
  header: { format: HeaderFormat; text: string | null; parameter: string | null } | null;
  /** Body text and its distinct parameters: `1`, `2`... in number order, or names in text order. */
  body: { text: string; parameters: string[] };
  footer: string | null;
  buttons: ShapeButton[];
  /** Component types we cannot send (CAROUSEL, LIMITED_TIME_OFFER...). */
  unsupported: string[];
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every `{{...}}` of a text, in order, with repeats. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** Distinct parameters: positional ones in number order, named ones in order of appearance. */
export function distinctParameters(text: string, format: ParameterFormat): string[] {
  const seen = [...new Set(placeholders(text))];
  return format === 'positional' ? seen.sort((a, b) => Number(a) - Number(b)) : seen;
}

/** Replaces each `{{name}}` by its value; unknown names stay as written. */
export function fill(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const upper = (v: unknown): string => (typeof v === 'string' ? v.toUpperCase() : '');

function buttonOf(raw: Record<string, unknown>, index: number): ShapeButton {
  const type = upper(raw['type']);
  const url = str(raw['url']);
  const phoneNumber = str(raw['phone_number']);
  const base = {
    index,
    type,
    text: str(raw['text']) ?? '',
    ...(url === undefined ? {} : { url }),
    ...(phoneNumber === undefined ? {} : { phoneNumber }),
  };
  switch (type) {
    case 'URL':
      return url !== undefined && placeholders(url).length > 0
        ? { ...base, value: 'url_suffix', required: true }
        : { ...base, value: null, required: false };
    case 'QUICK_REPLY':
      // Without a payload, WhatsApp returns the button's text when the client taps it.
      return { ...base, value: 'payload', required: false };
    case 'COPY_CODE':
      return { ...base, value: 'coupon_code', required: true };
    case 'OTP':
      return { ...base, text: base.text || 'Copy code', value: 'otp_code', required: true };
    default:
      return { ...base, value: null, required: false };
  }
}

export function shapeOf(components: GraphComponents, format: ParameterFormat): TemplateShape {
  const shape: TemplateShape = {
    header: null,
    body: { text: '', parameters: [] },
    footer: null,
    buttons: [],
    unsupported: [],
  };
  for (const c of components) {
    const type = upper(c['type']);
    if (type === 'HEADER') {
      const headerFormat = (upper(c['format']) || 'TEXT') as HeaderFormat;
      const text = headerFormat === 'TEXT' ? (str(c['text']) ?? '') : null;
      shape.header = {
        format: headerFormat,
        text,
        parameter: text === null ? null : (distinctParameters(text, format)[0] ?? null),
      };
    } else if (type === 'BODY') {
      const text = str(c['text']) ?? '';
      shape.body = { text, parameters: distinctParameters(text, format) };
    } else if (type === 'FOOTER') {
      shape.footer = str(c['text']) ?? null;
    } else if (type === 'BUTTONS') {
      const buttons = Array.isArray(c['buttons']) ? (c['buttons'] as Record<string, unknown>[]) : [];
      shape.buttons = buttons.map(buttonOf);
      for (const b of shape.buttons)
        if (b.type === 'MPM' || b.type === 'CATALOG') shape.unsupported.push(b.type);
    } else {
      shape.unsupported.push(type || 'untyped');
    }
  }
  return shape;
}

/** What a client must give to send the template (shown in the template view). */
export function needsOf(shape: TemplateShape) {
  return {
    header: shape.header ? { format: shape.header.format, parameter: shape.header.parameter } : null,
    body: shape.body.parameters,
    buttons: shape.buttons.flatMap((b) =>
      b.value === null ? [] : [{ index: b.index, type: b.type, value: b.value, required: b.required }],
    ),
  };
}

/** Graph's components with types, formats and button types UPPERCASE, as Graph returns them. */
export function normalizeComponents(components: readonly Record<string, unknown>[]): GraphComponents {
  return components.map((c) => {
    const out: Record<string, unknown> = { ...c, type: upper(c['type']) };
    if (typeof c['format'] === 'string') out['format'] = c['format'].toUpperCase();
    if (Array.isArray(c['buttons'])) {
      out['buttons'] = (c['buttons'] as Record<string, unknown>[]).map((b) => ({
        ...b,
        type: upper(b['type']),
      }));
    }
    return out;
  });
}
