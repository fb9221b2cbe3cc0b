// A template with a send's parameters: every check Meta would make at send time (count, names,
// header kind, button values, 132012 parameter format, 132005 length), then the rendered text and
// the Cloud API `template.components`. Pure: a refusal is a list of problems, each naming the
// parameter at fault, so a mismatch is a 422 before anything is queued, never a failed send.
import type { TemplateParameters } from '@switchboard/contracts';
import type { FieldIssue } from '../../platform/errors.ts';
import { fill, type ParameterFormat, type ShapeButton, type TemplateShape } from './template-shape.ts';

export type MediaKind = 'image' | 'video' | 'document';

export interface RenderedTemplate {
  header:
    | { type: 'text'; text: string }
    | { type: MediaKind; attachmentId?: string; link?: string; filename?: string }
    | null;
  body: string;
  footer: string | null;
  buttons: {
    index: number;
    type: string;
    text: string;
    url?: string;
    phoneNumber?: string;
    payload?: string;
    code?: string;
  }[];
}

/** One entry of the Cloud API `template.components` of a send (contract doc §4). */
export interface GraphSendComponent {
  type: 'header' | 'body' | 'button';
  sub_type?: 'url' | 'quick_reply' | 'copy_code';
  index?: string;
  parameters: Record<string, unknown>[];
}

export interface PlannedSend {
  /** Components without the header's media, which the caller resolves (`headerMedia`). */
  components: GraphSendComponent[];
  headerMedia: { type: MediaKind; attachmentId?: string; link?: string; filename?: string } | null;
  rendered: RenderedTemplate;
}

const BODY_MAX = 1024;
const HEADER_MAX = 60;
const CODE_MAX = 15;
const URL_MAX = 2000;

/** Meta's rule for text parameters (error 132012): not blank, no new lines or tabs, ≤ 4 spaces in a row. */
export function textParameterProblem(value: string): string | undefined {
  if (value.trim() === '') return 'Must not be empty';
  if (/[\n\r\t]/.test(value))
    return 'Must not contain new lines or tabs (WhatsApp refuses them in parameters)';
  if (/ {5,}/.test(value)) return 'Must not contain more than 4 consecutive spaces';
  return undefined;
}

const quote = (p: string) => `{{${p}}}`;

/** The body's values by parameter, or the problems; `at` is the path of `parameters`. */
function bodyValues(
  shape: TemplateShape,
  format: ParameterFormat,
  given: TemplateParameters['body'],
  at: string,
  issues: FieldIssue[],
): Map<string, string> {
  const values = new Map<string, string>();
  const params = shape.body.parameters;
  if (params.length === 0) {
    const count = Array.isArray(given) ? given.length : Object.keys(given ?? {}).length;
    if (count > 0) issues.push({ path: `${at}.body`, message: 'This template’s body takes no parameters' });
    return values;
  }
  if (format === 'positional') {
    if (given !== undefined && !Array.isArray(given)) {
      issues.push({
        path: `${at}.body`,
        message: `This template takes positional parameters: give an array of ${params.length} value${params.length === 1 ? '' : 's'} for ${params.map(quote).join(', ')}`,
      });
      return values;
    }
    const list = given ?? [];
    params.forEach((p, k) => {
      const v = list[k];
      if (v === undefined)
        issues.push({ path: `${at}.body.${k}`, message: `Missing: the value of ${quote(p)}` });
      else values.set(p, v);
    });
    for (let k = params.length; k < list.length; k++) {
      issues.push({
        path: `${at}.body.${k}`,
        message: `This template’s body takes ${params.length} parameter${params.length === 1 ? '' : 's'}; this one is extra`,
      });
    }
  } else {
    if (Array.isArray(given)) {
      issues.push({
        path: `${at}.body`,
        message: `This template takes named parameters: give an object with ${params.map((p) => `"${p}"`).join(', ')}`,
      });
      return values;
    }
    const record = given ?? {};
    for (const p of params) {
      const v = record[p];
      if (v === undefined)
        issues.push({ path: `${at}.body.${p}`, message: `Missing: the value of ${quote(p)}` });
      else values.set(p, v);
    }
    for (const name of Object.keys(record)) {
      if (!params.includes(name)) {
        issues.push({
          path: `${at}.body.${name}`,
          message: `This template has no parameter named ${quote(name)}`,
        });
      }
    }
  }
  for (const [p, v] of values) {
    const problem = textParameterProblem(v);
    const key = format === 'positional' ? params.indexOf(p) : p;
    if (problem) issues.push({ path: `${at}.body.${key}`, message: problem });
  }
  return values;
}

function buttonParameter(b: ShapeButton, value: string): GraphSendComponent {
  const index = String(b.index);
  switch (b.value) {
    case 'payload':
      return {
        type: 'button',
        sub_type: 'quick_reply',
        index,
        parameters: [{ type: 'payload', payload: value }],
      };
    case 'coupon_code':
      return {
        type: 'button',
        sub_type: 'copy_code',
        index,
        parameters: [{ type: 'coupon_code', coupon_code: value }],
      };
    case 'url_suffix':
    case 'otp_code':
    case null:
      // URL suffixes and one-time codes (authentication templates) are both `url` buttons.
      return { type: 'button', sub_type: 'url', index, parameters: [{ type: 'text', text: value }] };
  }
}

/**
 * Checks `parameters` against the template and renders it. `at` is the path of the parameters in
 * the request (`body.template.parameters` for a send, `body.parameters` for a preview).
 */
export function planSend(
  shape: TemplateShape,
  format: ParameterFormat,
  parameters: TemplateParameters,
  at: string,
): { issues: FieldIssue[]; plan?: PlannedSend } {
  const issues: FieldIssue[] = [];
  const components: GraphSendComponent[] = [];
  const rendered: RenderedTemplate = { header: null, body: '', footer: shape.footer, buttons: [] };
  let headerMedia: PlannedSend['headerMedia'] = null;
  const named = (p: string) => (format === 'named' ? { parameter_name: p } : {});

  // Header.
  const header = shape.header;
  const givenHeader = parameters.header;
  if (!header || (header.format === 'TEXT' && header.parameter === null)) {
    if (givenHeader)
      issues.push({ path: `${at}.header`, message: 'This template’s header takes no parameter' });
    if (header?.text) rendered.header = { type: 'text', text: header.text };
  } else if (header.format === 'LOCATION') {
    issues.push({ path: `${at}.header`, message: 'Templates with a location header cannot be sent yet' });
  } else if (header.format === 'TEXT') {
    const p = header.parameter ?? '1';
    if (!givenHeader)
      issues.push({ path: `${at}.header`, message: `Missing: the header’s ${quote(p)} (type text)` });
    else if (givenHeader.type !== 'text') {
      issues.push({
        path: `${at}.header.type`,
        message: 'This template’s header is text: give {"type": "text", "text": ...}',
      });
    } else {
      const problem = textParameterProblem(givenHeader.text);
      const text = fill(header.text ?? '', new Map([[p, givenHeader.text]]));
      if (problem) issues.push({ path: `${at}.header.text`, message: problem });
      else if (text.length > HEADER_MAX) {
        issues.push({
          path: `${at}.header.text`,
          message: `The header would be ${text.length} characters; WhatsApp allows ${HEADER_MAX}`,
        });
      }
      rendered.header = { type: 'text', text };
      components.push({
        type: 'header',
        parameters: [{ type: 'text', ...named(p), text: givenHeader.text }],
      });
    }
  } else {
    const kind = header.format.toLowerCase() as MediaKind;
    if (!givenHeader)
      issues.push({ path: `${at}.header`, message: `Missing: the header’s ${kind} (attachmentId or link)` });
    else if (givenHeader.type !== kind) {
      issues.push({
        path: `${at}.header.type`,
        message: `This template’s header is ${header.format}: give type "${kind}"`,
      });
    } else {
      const { attachmentId, link } = givenHeader;
      const filename = 'filename' in givenHeader ? givenHeader.filename : undefined;
      headerMedia = {
        type: kind,
        ...(attachmentId === undefined ? {} : { attachmentId }),
        ...(link === undefined ? {} : { link }),
        ...(filename === undefined ? {} : { filename }),
      };
      rendered.header = headerMedia;
    }
  }

  // Body.
  const values = bodyValues(shape, format, parameters.body, at, issues);
  rendered.body = fill(shape.body.text, values);
  if (values.size === shape.body.parameters.length && rendered.body.length > BODY_MAX) {
    issues.push({
      path: `${at}.body`,
      message: `The body would be ${rendered.body.length} characters; WhatsApp allows ${BODY_MAX}`,
    });
  }
  if (shape.body.parameters.length > 0) {
    components.push({
      type: 'body',
      parameters: shape.body.parameters.map((p) => ({
        type: 'text',
        ...named(p),
        text: values.get(p) ?? '',
      })),
    });
  }

  // Buttons.
  const given = parameters.buttons ?? [];
  const byIndex = new Map<number, string>();
  given.forEach((g, k) => {
    const b = shape.buttons[g.index];
    if (byIndex.has(g.index))
      issues.push({ path: `${at}.buttons.${k}.index`, message: `Button ${g.index} is given twice` });
    else if (!b || b.value === null) {
      issues.push({
        path: `${at}.buttons.${k}.index`,
        message: `The template has no button ${g.index} that takes a value`,
      });
    } else byIndex.set(g.index, g.value);
  });
  for (const b of shape.buttons) {
    const value = byIndex.get(b.index);
    const out: RenderedTemplate['buttons'][number] = { index: b.index, type: b.type, text: b.text };
    if (b.phoneNumber) out.phoneNumber = b.phoneNumber;
    if (b.url) out.url = b.url;
    const at_ = `${at}.buttons.${given.findIndex((g) => g.index === b.index)}.value`;
    if (value === undefined) {
      if (b.required) {
        const what = {
          url_suffix: 'the end of its URL',
          otp_code: 'the one-time code',
          coupon_code: 'the coupon code',
          payload: 'a payload',
        }[b.value ?? 'payload'];
        issues.push({
          path: `${at}.buttons`,
          message: `Missing: button ${b.index} (${b.type}) needs ${what}`,
        });
      }
    } else {
      if (b.value === 'url_suffix') {
        out.url = fill(b.url ?? '', new Map([['1', value]]));
        if (/\s/.test(value)) issues.push({ path: at_, message: 'A URL suffix must not contain spaces' });
        else if (out.url.length > URL_MAX)
          issues.push({ path: at_, message: `The URL would be longer than ${URL_MAX} characters` });
      } else if (b.value === 'payload') out.payload = value;
      else {
        out.code = value;
        if (value.length > CODE_MAX)
          issues.push({ path: at_, message: `A code has at most ${CODE_MAX} characters` });
      }
      components.push(buttonParameter(b, value));
    }
    rendered.buttons.push(out);
  }

  if (issues.length > 0) return { issues };
  return { issues, plan: { components, headerMedia, rendered } };
}
