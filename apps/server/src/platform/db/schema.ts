// Every table, for drizzle's typed client and for migration generation.
export * from '../mail/mail.tables.ts';
export * from '../../modules/organizations/organizations.tables.ts';
export * from '../../modules/users/users.tables.ts';
export * from '../../modules/auth/auth.tables.ts';
export * from '../../modules/api-keys/api-keys.tables.ts';
export * from '../../modules/audit/audit.tables.ts';
export * from '../../modules/operators/operators.tables.ts';
export * from '../../modules/whatsapp/whatsapp.tables.ts';
export * from '../../modules/contacts/contacts.tables.ts';
export * from '../../modules/conversations/conversations.tables.ts';
export * from '../realtime/realtime.tables.ts';
export * from '../../modules/teams/teams.tables.ts';
export * from '../../modules/labels/labels.tables.ts';
export * from '../../modules/notifications/notifications.tables.ts';
export * from '../../modules/canned-responses/canned-responses.tables.ts';
export * from '../../modules/outbound/outbound.tables.ts';
export * from '../../modules/templates/templates.tables.ts';
