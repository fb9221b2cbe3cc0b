// The route table of the tenant-isolation sweep (tenant-isolation.int.test.ts): how each tenant route
// addresses a victim organization's resources, and the routes outside the tenant boundary with why.

import type { TestTenant } from './harness.ts';

export interface Victim {
  tenant: TestTenant;
  agentId: string;
  /** A deactivated user of the victim (the target of reactivate). */
  deactivatedUserId: string;
  invitationId: string;
  apiKeyId: string;
  sessionId: string;
  numberId: string;
  phoneNumberId: string;
  conversationId: string;
  contactId: string;
  contactWaId: string;
  messageExternalId: string;
  messageId: string;
  teamId: string;
  noteId: string;
  notificationId: string;
  cannedResponseId: string;
  labelId: string;
  contactNoteId: string;
  attributeDefinitionId: string;
}

export type Case =
  | {
      kind: 'by-id';
      method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE';
      url: (v: Victim) => string;
      payload?: object;
    }
  | {
      /** Names victim ids in its body and answers 200 with a result per id: each must be not found. */
      kind: 'per-id';
      method: 'POST';
      url: string;
      payload: (v: Victim) => object;
      ids: (v: Victim) => string[];
    }
  | {
      kind: 'list';
      method: 'GET';
      url: string | ((v: Victim) => string);
      leaks: (body: string, v: Victim) => boolean;
    };

/** The victim has no template: its number is what the template routes must not reach. */
const VICTIM_TEMPLATE = '01900000-0000-7000-8000-000000007e57';

/** Routes outside the tenant boundary, with the reason they need no isolation case. */
export const notTenantScoped: Record<string, string> = {
  'GET /api/v1/realtime':
    'WebSocket; organization A never receives B’s events, proven over real sockets in platform/realtime/realtime.int.test.ts',
  'POST /api/v1/auth/login': 'public, identifies by email',
  'POST /api/v1/auth/password-reset/request': 'public, answers 202 whatever the email',
  'POST /api/v1/auth/password-reset/confirm': 'public, identified by a secret token',
  'POST /api/v1/auth/invitations/accept': 'public, identified by a secret token',
  'POST /api/v1/auth/logout': 'acts on the caller’s own session only',
  'PATCH /api/v1/me': 'acts on the caller only',
  'POST /api/v1/me/password': 'acts on the caller only',
  'POST /api/v1/me/2fa/setup': 'acts on the caller only',
  'POST /api/v1/me/2fa/enable': 'acts on the caller only',
  'POST /api/v1/me/2fa/disable': 'acts on the caller only',
  'PATCH /api/v1/organization': 'acts on the caller’s organization only (checked below)',
  'POST /api/v1/invitations': 'creates in the caller’s organization',
  'POST /api/v1/api-keys': 'creates in the caller’s organization',
  'POST /api/v1/teams':
    'creates in the caller’s organization; names are unique per organization only (teams.int.test.ts)',
  'POST /api/v1/whatsapp/numbers':
    'creates in the caller’s organization; a number taken by another is refused without naming it (numbers.int.test.ts)',
  'POST /api/v1/notifications/read-all':
    'acts on the caller’s own notifications only; others’ stay unread (notifications.int.test.ts)',
  'POST /api/v1/canned-responses':
    'creates in the caller’s organization; short codes are unique per organization only (canned-responses.int.test.ts)',
  'POST /api/v1/attachments':
    'creates in the caller’s organization; sending another organization’s attachment id is refused (outbound-media.int.test.ts)',
  'POST /api/v1/labels':
    'creates in the caller’s organization; names are unique per organization only (labels.int.test.ts)',
  'POST /api/v1/contact-attributes':
    'creates in the caller’s organization; keys are unique per organization only (contact-attributes.int.test.ts)',
};

export const cases: Record<string, Case> = {
  'GET /api/v1/users/:id': { kind: 'by-id', method: 'GET', url: (v) => `/api/v1/users/${v.agentId}` },
  'PATCH /api/v1/users/:id': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/users/${v.agentId}`,
    payload: { firstName: 'Mallory' },
  },
  'POST /api/v1/users/:id/deactivate': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/users/${v.agentId}/deactivate`,
  },
  'POST /api/v1/users/:id/reactivate': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/users/${v.deactivatedUserId}/reactivate`,
  },
  'DELETE /api/v1/invitations/:id': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/invitations/${v.invitationId}`,
  },
  'DELETE /api/v1/api-keys/:id': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/api-keys/${v.apiKeyId}`,
  },
  'DELETE /api/v1/auth/sessions/:id': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/auth/sessions/${v.sessionId}`,
  },
  'GET /api/v1/whatsapp/numbers/:id': {
    kind: 'by-id',
    method: 'GET',
    url: (v) => `/api/v1/whatsapp/numbers/${v.numberId}`,
  },
  'PATCH /api/v1/whatsapp/numbers/:id': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/whatsapp/numbers/${v.numberId}`,
    payload: { purpose: 'Mallory', greetingMessage: null, accessToken: 'stolen' },
  },
  'DELETE /api/v1/whatsapp/numbers/:id': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/whatsapp/numbers/${v.numberId}`,
  },
  // Template routes address the victim's number (A's template ids through B's own number are
  // refused in modules/templates/templates.int.test.ts, against the simulator).
  'GET /api/v1/whatsapp/numbers/:id/templates': {
    kind: 'by-id',
    method: 'GET',
    url: (v) => `/api/v1/whatsapp/numbers/${v.numberId}/templates`,
  },
  'POST /api/v1/whatsapp/numbers/:id/templates': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/whatsapp/numbers/${v.numberId}/templates`,
    payload: {
      name: 'mallory',
      language: 'en',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hi' }],
    },
  },
  'POST /api/v1/whatsapp/numbers/:id/templates/sync': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/whatsapp/numbers/${v.numberId}/templates/sync`,
  },
  'PATCH /api/v1/whatsapp/numbers/:id/templates/:templateId': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/whatsapp/numbers/${v.numberId}/templates/${VICTIM_TEMPLATE}`,
    payload: { category: 'MARKETING' },
  },
  'DELETE /api/v1/whatsapp/numbers/:id/templates/:templateId': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/whatsapp/numbers/${v.numberId}/templates/${VICTIM_TEMPLATE}`,
  },
  'POST /api/v1/whatsapp/numbers/:id/templates/:templateId/preview': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/whatsapp/numbers/${v.numberId}/templates/${VICTIM_TEMPLATE}/preview`,
    payload: { parameters: {} },
  },
  'GET /api/v1/conversations/:id': {
    kind: 'by-id',
    method: 'GET',
    url: (v) => `/api/v1/conversations/${v.conversationId}`,
  },
  'POST /api/v1/conversations/bulk': {
    kind: 'per-id',
    method: 'POST',
    url: '/api/v1/conversations/bulk',
    payload: (v) => ({ ids: [v.conversationId], action: { type: 'status', status: 'resolved' } }),
    ids: (v) => [v.conversationId],
  },
  'GET /api/v1/conversations/:id/messages': {
    kind: 'by-id',
    method: 'GET',
    url: (v) => `/api/v1/conversations/${v.conversationId}/messages`,
  },
  'POST /api/v1/conversations/:id/messages': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/conversations/${v.conversationId}/messages`,
    payload: { type: 'text', text: { body: 'sent by another organization' } },
  },
  'POST /api/v1/conversations/:id/messages/:messageId/resend': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/conversations/${v.conversationId}/messages/${v.messageId}/resend`,
  },
  'GET /api/v1/attachments/:id': {
    kind: 'by-id',
    method: 'GET',
    url: (v) => `/api/v1/attachments/${v.messageId}`,
  },
  'GET /api/v1/messages/:id/media': {
    kind: 'by-id',
    method: 'GET',
    url: (v) => `/api/v1/messages/${v.messageId}/media`,
  },
  'PATCH /api/v1/conversations/:id': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/conversations/${v.conversationId}`,
    payload: { status: 'resolved', priority: 'urgent', assigneeId: null },
  },
  'GET /api/v1/contacts/:id': {
    kind: 'by-id',
    method: 'GET',
    url: (v) => `/api/v1/contacts/${v.contactId}`,
  },
  'PATCH /api/v1/contacts/:id': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/contacts/${v.contactId}`,
    payload: { name: 'Mallory', attributes: { stolen: true } },
  },
  'GET /api/v1/labels': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/labels',
    leaks: (b, v) => b.includes(v.labelId) || b.includes('Victim label'),
  },
  'PATCH /api/v1/labels/:id': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/labels/${v.labelId}`,
    payload: { name: 'Mallory', color: '#000000' },
  },
  'DELETE /api/v1/labels/:id': { kind: 'by-id', method: 'DELETE', url: (v) => `/api/v1/labels/${v.labelId}` },
  'PUT /api/v1/conversations/:id/labels/:labelId': {
    kind: 'by-id',
    method: 'PUT',
    url: (v) => `/api/v1/conversations/${v.conversationId}/labels/${v.labelId}`,
  },
  'DELETE /api/v1/conversations/:id/labels/:labelId': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/conversations/${v.conversationId}/labels/${v.labelId}`,
  },
  'PUT /api/v1/contacts/:id/labels/:labelId': {
    kind: 'by-id',
    method: 'PUT',
    url: (v) => `/api/v1/contacts/${v.contactId}/labels/${v.labelId}`,
  },
  'DELETE /api/v1/contacts/:id/labels/:labelId': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/contacts/${v.contactId}/labels/${v.labelId}`,
  },
  'GET /api/v1/contacts/:id/notes': {
    kind: 'by-id',
    method: 'GET',
    url: (v) => `/api/v1/contacts/${v.contactId}/notes`,
  },
  'POST /api/v1/contacts/:id/notes': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/contacts/${v.contactId}/notes`,
    payload: { body: 'Mallory was here' },
  },
  'PATCH /api/v1/contacts/:id/notes/:noteId': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/contacts/${v.contactId}/notes/${v.contactNoteId}`,
    payload: { body: 'Mallory was here' },
  },
  'DELETE /api/v1/contacts/:id/notes/:noteId': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/contacts/${v.contactId}/notes/${v.contactNoteId}`,
  },
  'POST /api/v1/contacts/:id/merge': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/contacts/${v.contactId}/merge`,
    payload: { sourceContactId: '01900000-0000-7000-8000-000000000000' },
  },
  'GET /api/v1/contact-attributes': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/contact-attributes',
    leaks: (b, v) => b.includes(v.attributeDefinitionId) || b.includes('victim_tier'),
  },
  'PATCH /api/v1/contact-attributes/:id': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/contact-attributes/${v.attributeDefinitionId}`,
    payload: { label: 'Mallory' },
  },
  'DELETE /api/v1/contact-attributes/:id': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/contact-attributes/${v.attributeDefinitionId}`,
  },
  'POST /api/v1/conversations/:id/notes': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/conversations/${v.conversationId}/notes`,
    payload: { body: 'Mallory note', mentions: [] },
  },
  'GET /api/v1/notifications': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/notifications?limit=100',
    leaks: (b, v) =>
      b.includes(v.notificationId) || b.includes(v.noteId) || b.includes('Victim private note'),
  },
  'POST /api/v1/notifications/:id/read': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/notifications/${v.notificationId}/read`,
  },
  'GET /api/v1/canned-responses': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/canned-responses?limit=200&q=victim',
    leaks: (b, v) => b.includes(v.cannedResponseId) || b.includes('victim-canned'),
  },
  'PATCH /api/v1/canned-responses/:id': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/canned-responses/${v.cannedResponseId}`,
    payload: { shortCode: 'mallory', content: 'Mallory' },
  },
  'DELETE /api/v1/canned-responses/:id': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/canned-responses/${v.cannedResponseId}`,
  },
  'POST /api/v1/canned-responses/:id/render': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/canned-responses/${v.cannedResponseId}/render`,
    payload: { conversationId: '01900000-0000-7000-8000-000000000000' },
  },
  'GET /api/v1/teams': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/teams',
    leaks: (b, v) => b.includes(v.teamId) || b.includes('Victim team'),
  },
  'GET /api/v1/teams/:id': { kind: 'by-id', method: 'GET', url: (v) => `/api/v1/teams/${v.teamId}` },
  'PATCH /api/v1/teams/:id': {
    kind: 'by-id',
    method: 'PATCH',
    url: (v) => `/api/v1/teams/${v.teamId}`,
    payload: { name: 'Mallory', autoAssign: false, maxOpenPerAgent: 1 },
  },
  'DELETE /api/v1/teams/:id': { kind: 'by-id', method: 'DELETE', url: (v) => `/api/v1/teams/${v.teamId}` },
  'GET /api/v1/teams/:id/members': {
    kind: 'by-id',
    method: 'GET',
    url: (v) => `/api/v1/teams/${v.teamId}/members`,
  },
  'PUT /api/v1/teams/:id/members/:userId': {
    kind: 'by-id',
    method: 'PUT',
    url: (v) => `/api/v1/teams/${v.teamId}/members/${v.tenant.ownerId}`,
  },
  'DELETE /api/v1/teams/:id/members/:userId': {
    kind: 'by-id',
    method: 'DELETE',
    url: (v) => `/api/v1/teams/${v.teamId}/members/${v.agentId}`,
  },
  'POST /api/v1/conversations/:id/read': {
    kind: 'by-id',
    method: 'POST',
    url: (v) => `/api/v1/conversations/${v.conversationId}/read`,
  },
  'GET /api/v1/search': {
    kind: 'list',
    method: 'GET',
    // Matches the victim's message, private note and contact by words; their ids must not show.
    url: '/api/v1/search?q=victim&limit=50',
    leaks: (b, v) =>
      [v.messageId, v.noteId, v.conversationId, v.contactId, v.contactWaId].some((id) => b.includes(id)) ||
      /victim (secret|private|client)/i.test(b),
  },
  'GET /api/v1/conversations': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/conversations?status=all&limit=100',
    leaks: (b, v) => b.includes(v.conversationId) || b.includes(v.contactId) || b.includes(v.contactWaId),
  },
  'GET /api/v1/conversations/counts': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/conversations/counts',
    // The attacker's organization has no conversations: any count above zero is the victim's.
    leaks: (b) => /"(mine|unassigned|all|unread)":[1-9]/.test(b),
  },
  'GET /api/v1/contacts': {
    kind: 'list',
    method: 'GET',
    url: (v) => `/api/v1/contacts?limit=100&q=${v.contactWaId}`,
    leaks: (b, v) => b.includes(v.contactId) || b.includes(v.contactWaId),
  },
  'GET /api/v1/users': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/users',
    leaks: (b, v) => b.includes(v.agentId) || b.includes(v.tenant.ownerId),
  },
  'GET /api/v1/invitations': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/invitations',
    leaks: (b, v) => b.includes(v.invitationId),
  },
  'GET /api/v1/api-keys': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/api-keys',
    leaks: (b, v) => b.includes(v.apiKeyId),
  },
  'GET /api/v1/whatsapp/numbers': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/whatsapp/numbers',
    leaks: (b, v) => b.includes(v.numberId) || b.includes(v.phoneNumberId),
  },
  'GET /api/v1/audit-log': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/audit-log?limit=200',
    leaks: (b, v) => b.includes(v.tenant.organizationId) || b.includes(v.agentId),
  },
  'GET /api/v1/organization': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/organization',
    leaks: (b, v) => b.includes(v.tenant.organizationId),
  },
  'GET /api/v1/me': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/me',
    leaks: (b, v) => b.includes(v.tenant.organizationId),
  },
  'GET /api/v1/auth/sessions': {
    kind: 'list',
    method: 'GET',
    url: '/api/v1/auth/sessions',
    leaks: (b, v) => b.includes(v.sessionId),
  },
};
