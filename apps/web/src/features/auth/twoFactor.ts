// Pure helpers of two-factor enrolment, unit-tested.

/** A base32 secret in groups of four, easier to type into an authenticator by hand. */
export function groupSecret(secret: string): string {
  return (
    secret
      .replace(/\s/g, '')
      .match(/.{1,4}/g)
      ?.join(' ') ?? ''
  );
}

/** The recovery codes as a text file: one a line, after a line saying what they are. */
export function recoveryCodesText(codes: readonly string[], heading: string): string {
  return `${heading}\n\n${codes.join('\n')}\n`;
}
