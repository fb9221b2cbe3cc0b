// Checks a template definition before it goes to Meta (create, edit): one component of each
// kind, parameters written as the template's format says (`{{1}}`, `{{2}}`... in sequence, or
// `{{first_name}}`), and an example for every parameter, as Meta requires. Pure: returns the
// problems with the path of the field at fault.
import type { FieldIssue } from '../../platform/errors.ts';
import {
  distinctParameters,
  placeholders,
  type GraphComponents,
  type ParameterFormat,
} from './template-shape.ts';

const POSITIONAL = /^[1-9]\d*$/;
const NAMED = /^[a-z][a-z0-9_]*$/;
const COUPON_MAX = 15;

type Component = Record<string, unknown>;
const record = (v: unknown): Component =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Component) : {};
const upper = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback).toUpperCase();
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** Problems with the placeholders of one text; `where` is the text's path. */
function checkNames(text: string, format: ParameterFormat, where: string, issues: FieldIssue[]): void {
  for (const name of new Set(placeholders(text))) {
    if (format === 'positional' && !POSITIONAL.test(name)) {
      issues.push({
        path: where,
        message: NAMED.test(name)
          ? `{{${name}}} is a named parameter, but parameterFormat is positional: use {{1}}, {{2}}... or set parameterFormat to named`
          : `{{${name}}} is not a positional parameter: use {{1}}, {{2}}...`,
      });
    }
    if (format === 'named' && !NAMED.test(name)) {
      issues.push({
        path: where,
        message: POSITIONAL.test(name)
          ? `{{${name}}} is positional, but parameterFormat is named: use names such as {{first_name}}`
          : `{{${name}}} is not a valid name: lowercase letters, digits and _, starting with a letter`,
      });
    }
  }
}

/** Examples for the parameters of a header or body text, positional or named. */
function checkExamples(
  params: string[],
  format: ParameterFormat,
  example: Component,
  keys: { positional: string; named: string },
  where: string,
  issues: FieldIssue[],
): void {
  if (params.length === 0) return;
  if (format === 'positional') {
    const raw = example[keys.positional];
    // body_text is a list of rows ([["Ana", "42"]]); header_text a flat list (["Ana"]).
    const given =
      keys.positional === 'body_text' ? strings(Array.isArray(raw) ? raw[0] : undefined) : strings(raw);
    if (given.length !== params.length) {
      issues.push({
        path: `${where}.example.${keys.positional}`,
        message: `Give one example for each of the ${params.length} parameter${params.length === 1 ? '' : 's'} (${params.map((p) => `{{${p}}}`).join(', ')}); got ${given.length}`,
      });
    }
    return;
  }
  const named = Array.isArray(example[keys.named]) ? (example[keys.named] as Component[]) : [];
  const names = new Set(named.map((n) => n['param_name']));
  for (const p of params) {
    if (!names.has(p))
      issues.push({ path: `${where}.example.${keys.named}`, message: `No example for {{${p}}}` });
  }
  for (const n of names) {
    if (typeof n === 'string' && !params.includes(n)) {
      issues.push({
        path: `${where}.example.${keys.named}`,
        message: `{{${n}}} is not a parameter of the text`,
      });
    }
  }
}

function checkButtons(c: Component, where: string, issues: FieldIssue[]): void {
  const buttons = Array.isArray(c['buttons']) ? (c['buttons'] as Component[]) : [];
  buttons.forEach((b, i) => {
    const at = `${where}.buttons.${i}`;
    const type = upper(b['type']);
    if (['QUICK_REPLY', 'URL', 'PHONE_NUMBER'].includes(type) && typeof b['text'] !== 'string') {
      issues.push({ path: `${at}.text`, message: 'Required' });
    }
    if (type === 'PHONE_NUMBER' && typeof b['phone_number'] !== 'string') {
      issues.push({ path: `${at}.phone_number`, message: 'Required' });
    }
    if (type === 'URL') {
      const url = typeof b['url'] === 'string' ? b['url'] : '';
      if (!/^https?:\/\//.test(url)) issues.push({ path: `${at}.url`, message: 'Must be an http(s) URL' });
      const params = placeholders(url);
      if (
        params.length > 1 ||
        (params.length === 1 && (params[0] !== '1' || !url.trimEnd().endsWith('}}')))
      ) {
        issues.push({ path: `${at}.url`, message: 'A URL takes at most one parameter, {{1}}, at its end' });
      } else if (
        params.length === 1 &&
        strings(b['example']).length === 0 &&
        typeof b['example'] !== 'string'
      ) {
        issues.push({ path: `${at}.example`, message: 'Give an example of the full URL for {{1}}' });
      }
    }
    if (type === 'COPY_CODE') {
      const example = typeof b['example'] === 'string' ? b['example'] : strings(b['example'])[0];
      if (!example || example.length > COUPON_MAX) {
        issues.push({
          path: `${at}.example`,
          message: `Give an example code of 1 to ${COUPON_MAX} characters`,
        });
      }
    }
  });
}

/**
 * The problems of a definition; none means Meta can be asked. `prefix` is the path of the
 * components array in the request (`body.components`).
 */
export function checkDefinition(
  components: GraphComponents,
  format: ParameterFormat,
  prefix = 'body.components',
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  components.forEach((c, i) => {
    const type = upper(c['type']);
    const where = `${prefix}.${i}`;
    if (seen.has(type))
      issues.push({ path: `${where}.type`, message: `Only one ${type} component is allowed` });
    seen.add(type);
    const example = record(c['example']);
    const text = typeof c['text'] === 'string' ? c['text'] : undefined;
    if (type === 'HEADER') {
      const headerFormat = upper(c['format'], 'TEXT');
      if (headerFormat === 'TEXT') {
        if (text === undefined)
          return issues.push({ path: `${where}.text`, message: 'A TEXT header needs its text' });
        checkNames(text, format, `${where}.text`, issues);
        const params = distinctParameters(text, format);
        if (params.length > 1)
          issues.push({ path: `${where}.text`, message: 'A header takes at most one parameter' });
        else if (format === 'positional' && params.length === 1 && params[0] !== '1') {
          issues.push({ path: `${where}.text`, message: 'The header parameter must be {{1}}' });
        }
        checkExamples(
          params,
          format,
          example,
          { positional: 'header_text', named: 'header_text_named_params' },
          where,
          issues,
        );
      } else if (headerFormat !== 'LOCATION' && strings(example['header_handle']).length === 0) {
        issues.push({
          path: `${where}.example.header_handle`,
          message: `A ${headerFormat} header needs a sample: an upload handle from the Resumable Upload API`,
        });
      }
    } else if (type === 'BODY' && text !== undefined) {
      checkNames(text, format, `${where}.text`, issues);
      const params = distinctParameters(text, format);
      if (format === 'positional' && params.every((p) => POSITIONAL.test(p))) {
        const missing =
          params.length === 0
            ? []
            : Array.from({ length: Number(params.at(-1)) }, (_, k) => String(k + 1)).filter(
                (p) => !params.includes(p),
              );
        if (missing.length > 0) {
          issues.push({
            path: `${where}.text`,
            message: `Positional parameters must run {{1}}, {{2}}... without gaps: ${missing.map((m) => `{{${m}}}`).join(', ')} missing`,
          });
        }
      }
      checkExamples(
        params,
        format,
        example,
        { positional: 'body_text', named: 'body_text_named_params' },
        where,
        issues,
      );
    } else if (type === 'FOOTER' && text !== undefined && placeholders(text).length > 0) {
      issues.push({ path: `${where}.text`, message: 'A footer takes no parameters' });
    } else if (type === 'BUTTONS') {
      checkButtons(c, where, issues);
    }
    return undefined;
  });
  if (!seen.has('BODY')) issues.push({ path: prefix, message: 'A BODY component is required' });
  return issues;
}
