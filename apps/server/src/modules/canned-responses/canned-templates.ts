// Canned response templates: `{{contact.name}}` is replaced by its value, `{{contact.name | there}}`
// by the value or, when it is missing, the fallback text. Only a closed set of variables exists;
// anything else between double braces is refused when the response is saved. A `{{` that is never
// closed is plain text.
import { cannedVariables, type CannedVariable } from '@switchboard/contracts';

/** `{{ name }}` or `{{ name | fallback }}`; neither part may contain braces. */
const PLACEHOLDER = /\{\{\s*([^{}|]*?)\s*(?:\|\s*([^{}]*?)\s*)?\}\}/g;

const known = new Set<string>(cannedVariables);

export interface TemplateCheck {
  /** Distinct known variables, in order of first use. */
  variables: CannedVariable[];
  /** Distinct unknown names, in order of first use. */
  unknown: string[];
}

export function checkTemplate(content: string): TemplateCheck {
  const variables: CannedVariable[] = [];
  const unknown: string[] = [];
  for (const match of content.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (known.has(name)) {
      if (!variables.includes(name as CannedVariable)) variables.push(name as CannedVariable);
    } else if (!unknown.includes(name)) {
      unknown.push(name);
    }
  }
  return { variables, unknown };
}

export type TemplateValues = Partial<Record<CannedVariable, string | null | undefined>>;

/**
 * Fills the variables; a missing or blank value renders as its fallback, or as nothing. Returns
 * the variables that had neither. Unknown names (saved before the set shrank) render as nothing.
 */
export function renderTemplate(content: string, values: TemplateValues): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = content.replace(PLACEHOLDER, (_all, name: string, fallback: string | undefined) => {
    const value = known.has(name) ? values[name as CannedVariable]?.trim() : undefined;
    if (value) return value;
    if (fallback !== undefined) return fallback;
    if (!missing.includes(name)) missing.push(name);
    return '';
  });
  return { text, missing };
}

/** The first word of a name: "Ana Souza" -> "Ana". */
export function firstName(name: string | null | undefined): string | null {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first : null;
}
