import { z } from 'zod';

export const roles = ['owner', 'admin', 'agent'] as const;
export const roleSchema = z.enum(roles);
/** The closed vocabulary of permissions; API key scopes use the same words. */
export const permissions = [
  'organization.read',
  'organization.manage',
  'users.read',
  'users.manage',
  'api_keys.manage',
  'audit.read',
  'whatsapp.manage',
  'conversations.read',
  'conversations.manage',
  'teams.manage',
  'labels.manage',
  'canned_responses.manage',
] as const;
export const permissionSchema = z.enum(permissions);
export const localeSchema = z.enum(['en', 'es', 'pt-BR']);
export const availabilities = ['online', 'busy', 'offline'] as const;
/** Set by each agent; round robin gives conversations only to `online` agents. */
export const availabilitySchema = z.enum(availabilities);
export type Availability = z.infer<typeof availabilitySchema>;

/** Emails are trimmed and compared case-insensitively; they are stored lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: 'Must be a valid email address' }));
export const passwordSchema = z
  .string()
  .min(10, 'Must be at least 10 characters')
  .max(200, 'Must be at most 200 characters');
export const nameSchema = z.string().trim().min(1, 'Required').max(100);

export const userViewSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: roleSchema,
    permissions: z.array(permissionSchema),
    status: z.enum(['active', 'deactivated']),
    locale: z.string(),
    availability: availabilitySchema,
    twoFactorEnabled: z.boolean(),
    lastLoginAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userViewSchema>;

export const organizationViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    legalNumber: z.string().nullable(),
    accountNumber: z.string(),
    ownerName: z.string(),
    ownerEmail: z.string(),
    ownerPhone: z.string().nullable(),
    plan: z.string(),
    status: z.enum(['active', 'suspended']),
    suspendedReason: z.string().nullable(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Organization' });
export type OrganizationView = z.infer<typeof organizationViewSchema>;

export const loginRequestSchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, 'Required').max(200),
  totpCode: z
    .string()
    .regex(/^\d{6}$/, 'Must be 6 digits')
    .optional(),
  recoveryCode: z.string().min(8).max(20).optional(),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const sessionResponseSchema = z
  .object({ csrfToken: z.string(), user: userViewSchema, organization: organizationViewSchema })
  .meta({ id: 'SignedIn' });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;
