// The CSRF token lives in memory only (never localStorage). After a reload it comes back from
// GET /api/v1/me, which every protected screen calls first.
let csrfToken: string | undefined;

export function getCsrfToken(): string | undefined {
  return csrfToken;
}

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}
