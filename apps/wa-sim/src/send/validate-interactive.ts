import { GraphError, invalidParam } from '../graph-error.ts';
import {
  isHttpUrl,
  isObject,
  optionalObject,
  optionalString,
  requireArray,
  requireObject,
  requireString,
  type Json,
} from './checks.ts';

// Interactive messages (contract doc §4): reply buttons (≤3), lists (≤10 rows in ≤10 sections) and
// cta_url. Other interactive kinds (flow, product, location_request_message, …) are accepted after the
// common body/footer checks, since the simulator has no catalogue or flows to check them against.

const KNOWN = new Set([
  'button',
  'list',
  'cta_url',
  'flow',
  'product',
  'product_list',
  'catalog_message',
  'location_request_message',
  'call_permission_request',
  'voice_call',
]);

export function validateInteractive(interactive: Json): void {
  const type = requireString(interactive, 'type', 'interactive.type');
  if (!KNOWN.has(type)) throw invalidParam(`Interactive type '${type}' is not supported`);
  validateHeader(interactive);
  const footer = optionalObject(interactive, 'footer', 'interactive.footer');
  if (footer) requireString(footer, 'text', "interactive.footer['text']", { max: 60 });
  const needsBody = type === 'button' || type === 'list' || type === 'cta_url';
  const body = needsBody
    ? requireObject(interactive, 'body', 'interactive.body')
    : optionalObject(interactive, 'body', 'interactive.body');
  if (body) requireString(body, 'text', "interactive.body['text']", { max: type === 'list' ? 4096 : 1024 });
  const action = requireObject(interactive, 'action', 'interactive.action');
  if (type === 'button') validateButtons(action);
  else if (type === 'list') validateList(action);
  else if (type === 'cta_url') validateCtaUrl(action);
}

function validateHeader(interactive: Json): void {
  const header = optionalObject(interactive, 'header', 'interactive.header');
  if (!header) return;
  const type = requireString(header, 'type', 'interactive.header.type');
  if (type === 'text') {
    requireString(header, 'text', "interactive.header['text']", { max: 60 });
    return;
  }
  if (type !== 'image' && type !== 'video' && type !== 'document') {
    throw invalidParam(`Header type '${type}' is not valid`);
  }
  const media = requireObject(header, type, `interactive.header.${type}`);
  if (media['id'] === undefined && media['link'] === undefined) {
    throw new GraphError(131008, `Parameter 'interactive.header.${type}' requires 'id' or 'link'`);
  }
  if (interactive['type'] === 'list') throw invalidParam('List messages only support text headers');
}

function validateButtons(action: Json): void {
  const buttons = action['buttons'];
  if (!Array.isArray(buttons))
    throw new GraphError(131008, "The parameter interactive['action']['buttons'] is required.");
  if (buttons.length < 1 || buttons.length > 3) {
    throw invalidParam(`Number of buttons is ${buttons.length}; reply buttons must be between 1 and 3.`);
  }
  const titles = new Set<string>();
  const ids = new Set<string>();
  buttons.forEach((b: unknown, i) => {
    const path = `interactive.action.buttons[${i}]`;
    if (!isObject(b)) throw invalidParam(`Parameter '${path}' must be an object`);
    if (b['type'] !== 'reply') throw invalidParam(`Parameter '${path}.type' must be 'reply'`);
    const reply = requireObject(b, 'reply', `${path}.reply`);
    const id = requireString(reply, 'id', `${path}.reply.id`, { max: 256 });
    const title = requireString(reply, 'title', `${path}.reply.title`, { max: 20 });
    if (titles.has(title) || ids.has(id)) throw invalidParam('Button titles and ids must be unique');
    titles.add(title);
    ids.add(id);
  });
}

function validateList(action: Json): void {
  requireString(action, 'button', 'interactive.action.button', { max: 20 });
  const sections = requireArray(action, 'sections', 'interactive.action.sections', 1, 10);
  let rows = 0;
  const rowIds = new Set<string>();
  sections.forEach((s: unknown, i) => {
    const path = `interactive.action.sections[${i}]`;
    if (!isObject(s)) throw invalidParam(`Parameter '${path}' must be an object`);
    if (sections.length > 1) requireString(s, 'title', `${path}.title`, { max: 24 });
    else optionalString(s, 'title', `${path}.title`, { max: 24 });
    const list = requireArray(s, 'rows', `${path}.rows`, 1, 10);
    rows += list.length;
    list.forEach((r: unknown, j) => {
      const rp = `${path}.rows[${j}]`;
      if (!isObject(r)) throw invalidParam(`Parameter '${rp}' must be an object`);
      const id = requireString(r, 'id', `${rp}.id`, { max: 200 });
      requireString(r, 'title', `${rp}.title`, { max: 24 });
      optionalString(r, 'description', `${rp}.description`, { max: 72 });
      if (rowIds.has(id)) throw invalidParam('Row ids must be unique');
      rowIds.add(id);
    });
  });
  if (rows > 10) throw invalidParam(`Total row count is ${rows}; a list may have at most 10 rows.`);
}

function validateCtaUrl(action: Json): void {
  if (action['name'] !== 'cta_url')
    throw invalidParam("Parameter 'interactive.action.name' must be 'cta_url'");
  const params = requireObject(action, 'parameters', 'interactive.action.parameters');
  requireString(params, 'display_text', 'interactive.action.parameters.display_text', { max: 20 });
  const url = requireString(params, 'url', 'interactive.action.parameters.url');
  if (!isHttpUrl(url))
    throw invalidParam("Parameter 'interactive.action.parameters.url' must be an http(s) URL");
}
