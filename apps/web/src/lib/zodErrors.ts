// Client-side checks use the API's own zod schemas (@switchboard/contracts), so a form the browser
// accepts is one the server accepts. Their messages are English; each issue is shown here in the
// user's language instead, by its kind.
import type { Translate } from './i18n/types';

export interface Issue {
  code: string;
  path: readonly PropertyKey[];
  minimum?: unknown;
  maximum?: unknown;
  origin?: string;
}

/** Field path (`businessHours.intervals.0.end`) → a translated message; the first issue per field wins. */
export function issuesToFieldErrors(issues: readonly Issue[], t: Translate): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    errors[field] ??= issueMessage(issue, t);
  }
  return errors;
}

export function issueMessage(issue: Issue, t: Translate): string {
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1)
    return t('validation.required');
  if (issue.code === 'too_big' && typeof issue.maximum === 'number' && issue.origin === 'string')
    return t('validation.tooLong', { max: issue.maximum });
  if (
    (issue.code === 'too_small' || issue.code === 'too_big') &&
    typeof (issue.minimum ?? issue.maximum) === 'number'
  ) {
    return issue.code === 'too_small'
      ? t('validation.atLeast', { min: Number(issue.minimum) })
      : t('validation.atMost', { max: Number(issue.maximum) });
  }
  if (issue.code === 'invalid_type') return t('validation.required');
  return t('validation.invalid');
}
