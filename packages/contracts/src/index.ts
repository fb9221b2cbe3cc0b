// Schemas shared by the server (validation, OpenAPI) and the web app (types, forms).
export * from './problem.ts';
export * from './identity.ts';
export * from './whatsapp.ts';
export * from './teams.ts';
export * from './collaboration.ts';
export * from './labels.ts';
export * from './contacts.ts';
export * from './outbound.ts';
export * from './templates.ts';
export * from './conversations.ts';
