import { GraphError, invalidParam } from '../graph-error.ts';
import { mimeFitsKind, type MediaKind } from '../media.ts';
import type { Store, Template } from '../store.ts';
import { isObject, requireObject, requireString, type Json } from './checks.ts';

// Template sends (contract doc §4, §6): the template must exist in that language and be APPROVED
// (132001), each component must carry as many parameters as the template has placeholders (132000),
// and parameters must match the template's format: named vs positional, media header kind (132012).

const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

/** Distinct placeholders in a template text, in first-seen order. */
export function placeholders(text: string | undefined): string[] {
  if (!text) return [];
  const seen = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1] ?? '');
  return [...seen];
}

function componentOf(template: Template, type: string): Json | undefined {
  return template.components.find((c) => typeof c['type'] === 'string' && c['type'].toUpperCase() === type);
}

export function validateTemplate(template: Json, wabaId: string, store: Store): Template {
  const name = requireString(template, 'name', 'template.name', { missingCode: 100 });
  const language = requireObject(template, 'language', 'template.language', 100);
  const code = requireString(language, 'code', 'template.language.code', { missingCode: 100 });
  const found = store.findTemplate(wabaId, name, code);
  if (found?.status !== 'APPROVED') {
    throw new GraphError(132001, `template name (${name}) does not exist in ${code}`);
  }
  const sent = template['components'] ?? [];
  if (!Array.isArray(sent)) throw invalidParam("Parameter 'template.components' must be an array");
  const sentComponents = sent.map((c: unknown, i) => {
    if (!isObject(c)) throw invalidParam(`Parameter 'template.components[${i}]' must be an object`);
    return c;
  });
  checkHeader(
    found,
    sentComponents.find((c) => c['type'] === 'header'),
    store,
  );
  checkBody(
    found,
    sentComponents.find((c) => c['type'] === 'body'),
  );
  checkButtons(
    found,
    sentComponents.filter((c) => c['type'] === 'button'),
  );
  return found;
}

function paramsOf(component: Json | undefined, path: string): Json[] {
  if (!component) return [];
  const p = component['parameters'] ?? [];
  if (!Array.isArray(p)) throw invalidParam(`Parameter '${path}.parameters' must be an array`);
  return p.map((x: unknown, i) => {
    if (!isObject(x)) throw invalidParam(`Parameter '${path}.parameters[${i}]' must be an object`);
    return x;
  });
}

function countMismatch(part: string, got: number, expected: number): GraphError {
  return new GraphError(
    132000,
    `${part}: number of localizable_params (${got}) does not match the expected number of params (${expected})`,
  );
}

function checkHeader(template: Template, sent: Json | undefined, store: Store): void {
  const header = componentOf(template, 'HEADER');
  const params = paramsOf(sent, 'template.header');
  const format = typeof header?.['format'] === 'string' ? header['format'].toUpperCase() : 'TEXT';
  if (!header || format === 'TEXT') {
    const expected = placeholders(header?.['text'] as string | undefined).length;
    if (params.length !== expected) throw countMismatch('header', params.length, expected);
    params.forEach((p) => checkTextParam(p, 'header'));
    return;
  }
  // Media/location headers take exactly one parameter of the header's kind.
  if (params.length !== 1) throw countMismatch('header', params.length, 1);
  const kind = format.toLowerCase();
  const p = params[0];
  if (p?.['type'] !== kind || !isObject(p[kind])) {
    throw new GraphError(
      132012,
      `header: parameter type does not match the template header format ${format}`,
    );
  }
  if (kind !== 'location' && p[kind]['id'] === undefined && p[kind]['link'] === undefined) {
    throw new GraphError(131008, `header: ${kind} parameter requires 'id' or 'link'`);
  }
  // An uploaded media id must exist and fit the header's kind, as for a media message.
  const id = kind === 'location' ? undefined : p[kind]['id'];
  if (id !== undefined) {
    if (typeof id !== 'string') throw invalidParam(`Parameter 'header.${kind}.id' must be a string`);
    const media = store.media.get(id);
    if (!media) throw invalidParam(`Media id ${id} does not exist or has expired`);
    if (!mimeFitsKind(media.mimeType, kind as MediaKind)) {
      throw new GraphError(131053, `Media of type ${media.mimeType} cannot be sent as ${kind}.`);
    }
  }
}

function checkBody(template: Template, sent: Json | undefined): void {
  const body = componentOf(template, 'BODY');
  const names = placeholders(body?.['text'] as string | undefined);
  const params = paramsOf(sent, 'template.body');
  if (params.length !== names.length) throw countMismatch('body', params.length, names.length);
  for (const p of params) {
    checkTextParam(p, 'body');
    if (template.parameterFormat === 'NAMED') {
      const pn = p['parameter_name'];
      if (typeof pn !== 'string') {
        throw new GraphError(
          132012,
          'body: this template uses named parameters; each needs a parameter_name',
        );
      }
      if (!names.includes(pn)) {
        throw new GraphError(
          132012,
          `body: parameter_name '${pn}' is not a parameter of this named template`,
        );
      }
    }
  }
}

function checkTextParam(p: Json, part: string): void {
  const type = p['type'];
  if (type === 'text') {
    if (typeof p['text'] !== 'string')
      throw new GraphError(131008, `${part}: text parameter requires 'text'`);
    if (p['text'].length > 32_768) throw new GraphError(132005, `${part}: hydrated text too long`);
    return;
  }
  if (type === 'currency' || type === 'date_time') return;
  throw new GraphError(
    132012,
    `${part}: parameter type '${String(type)}' does not match format in the created template`,
  );
}

function checkButtons(template: Template, sent: Json[]): void {
  const defined = componentOf(template, 'BUTTONS')?.['buttons'];
  const buttons = Array.isArray(defined) ? defined.filter(isObject) : [];
  const seen = new Set<number>();
  for (const b of sent) {
    const index = Number(b['index']);
    if (!Number.isInteger(index) || index < 0 || index >= buttons.length || seen.has(index)) {
      throw invalidParam(`button: index ${String(b['index'])} is not a button of this template`);
    }
    seen.add(index);
    const def = buttons[index] ?? {};
    const subType = typeof b['sub_type'] === 'string' ? b['sub_type'].toUpperCase() : '';
    if (subType !== String(def['type']).toUpperCase()) {
      throw new GraphError(
        132012,
        `button ${index}: sub_type ${subType} does not match template button ${String(def['type'])}`,
      );
    }
    const params = paramsOf(b, `template.button[${index}]`);
    // A URL button takes one text parameter per placeholder of its URL (the dynamic suffix); a quick
    // reply takes exactly one payload; other kinds (copy code, flow, …) one parameter.
    const expected = subType === 'URL' ? placeholders(def['url'] as string | undefined).length : 1;
    if (params.length !== expected) throw countMismatch(`button ${index}`, params.length, expected);
    if (subType === 'URL' || subType === 'QUICK_REPLY') {
      const [kind, key] = subType === 'URL' ? ['text', 'text'] : ['payload', 'payload'];
      for (const p of params) {
        if (p['type'] !== kind) {
          throw new GraphError(
            132012,
            `button ${index}: parameter type '${String(p['type'])}' does not match ${subType} (expected '${kind}')`,
          );
        }
        if (typeof p[key] !== 'string')
          throw new GraphError(131008, `button ${index}: ${kind} parameter requires '${key}'`);
      }
    }
  }
  // A URL button with a placeholder cannot be sent without its parameter.
  buttons.forEach((def, i) => {
    if (
      String(def['type']).toUpperCase() === 'URL' &&
      placeholders(def['url'] as string | undefined).length > 0 &&
      !seen.has(i)
    ) {
      throw new GraphError(131008, `button ${i}: URL button requires a parameter`);
    }
  });
}
