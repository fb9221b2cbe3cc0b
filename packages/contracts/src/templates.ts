import { z } from 'zod';
import { templateSendSchema } from './outbound.ts';

// WhatsApp message templates (contract doc §6): what the API accepts to create or edit one, and
// what it shows. Components keep Graph's own shape (`HEADER`, `BODY`, `FOOTER`, `BUTTONS`, with
// `example` in Graph's snake_case), so what we send to Meta is what the client wrote, and what we
// show is what Meta returned. Types are accepted in any case and stored UPPERCASE, as Graph
// answers them.

export const templateCategories = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const templateParameterFormats = ['positional', 'named'] as const;

const upper = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(values, { error: `Must be one of ${values.join(', ')} (${what})` }));

export const templateCategorySchema = upper(templateCategories, 'the template category');
/** Lowercase letters, digits and `_`, up to 512 characters (Meta's rule for template names). */
export const templateNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{1,512}$/, 'Must be 1 to 512 lowercase letters, digits or _');
/** A language code as Meta lists them: `en`, `en_US`, `pt_BR`, `zh_CN`, `es_LA`... */
export const templateLanguageSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'Must be a language code such as en, en_US or pt_BR');

const text = (max: number) => z.string().min(1, 'Required').max(max, `Must be at most ${max} characters`);
const namedExamples = z
  .array(z.strictObject({ param_name: z.string().min(1), example: z.string().min(1) }))
  .min(1);

const headerComponent = z.looseObject({
  type: z.literal('HEADER'),
  format: upper(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'], 'the header format'),
  text: text(60).optional(),
  example: z
    .looseObject({
      header_text: z.array(z.string().min(1)).optional(),
      header_text_named_params: namedExamples.optional(),
      /** Upload handles from the Resumable Upload API, for media headers. */
      header_handle: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});
const bodyComponent = z.looseObject({
  type: z.literal('BODY'),
  text: text(1024),
  example: z
    .looseObject({
      body_text: z.array(z.array(z.string().min(1))).optional(),
      body_text_named_params: namedExamples.optional(),
    })
    .optional(),
});
const footerComponent = z.looseObject({ type: z.literal('FOOTER'), text: text(60).optional() });
const button = z.looseObject({
  type: upper(
    ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE', 'OTP', 'FLOW', 'CATALOG', 'MPM', 'VOICE_CALL'],
    'the button type',
  ),
  text: text(25).optional(),
  url: z.string().max(2000).optional(),
  phone_number: z.string().max(20).optional(),
  example: z.union([z.array(z.string().min(1)), z.string().min(1)]).optional(),
});
const buttonsComponent = z.looseObject({
  type: z.literal('BUTTONS'),
  buttons: z.array(button).min(1, 'At least one button').max(10, 'At most 10 buttons'),
});

/** One component; `type` in any case (`body` or `BODY`). */
export const templateComponentSchema = z.preprocess(
  (c) =>
    c !== null && typeof c === 'object' && typeof (c as { type?: unknown }).type === 'string'
      ? { ...c, type: (c as { type: string }).type.toUpperCase() }
      : c,
  z.discriminatedUnion('type', [headerComponent, bodyComponent, footerComponent, buttonsComponent]),
);
export type TemplateComponentInput = z.infer<typeof templateComponentSchema>;

const componentsSchema = z
  .array(templateComponentSchema)
  .min(1, 'At least a BODY component')
  .max(4, 'At most one each of HEADER, BODY, FOOTER and BUTTONS');

export const createTemplateRequestSchema = z.strictObject({
  name: templateNameSchema,
  language: templateLanguageSchema,
  category: templateCategorySchema,
  /** `positional` (`{{1}}`, the default) or `named` (`{{first_name}}`). */
  parameterFormat: z.enum(templateParameterFormats).default('positional'),
  components: componentsSchema,
});
export type CreateTemplateRequest = z.infer<typeof createTemplateRequestSchema>;

/** Meta lets an edit change the components or the category (the template goes back to review). */
export const updateTemplateRequestSchema = z
  .strictObject({ category: templateCategorySchema.optional(), components: componentsSchema.optional() })
  .refine((b) => b.category !== undefined || b.components !== undefined, {
    error: 'Give components, a category, or both',
  });
export type UpdateTemplateRequest = z.infer<typeof updateTemplateRequestSchema>;

export const templateListQuerySchema = z.strictObject({
  /** One of Graph's statuses (APPROVED, PENDING, REJECTED, PAUSED, DISABLED...), any case. */
  status: z
    .string()
    .trim()
    .regex(/^[A-Za-z_]{1,30}$/, 'Must be a template status such as APPROVED')
    .transform((s) => s.toUpperCase())
    .optional(),
  /** Part of the template name. */
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(1200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The parameters a send (or a preview) gives: the `parameters` of a template send. */
export const templateParametersSchema = templateSendSchema.shape.template.shape.parameters;
export type TemplateParameters = z.infer<typeof templateParametersSchema>;

export const templatePreviewRequestSchema = z.strictObject({ parameters: templateParametersSchema });

/** What a template needs at send time, read from its components. */
export const templateNeedsSchema = z.object({
  header: z
    .object({
      format: z.enum(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION']),
      /** The header text's parameter, when it has one. */
      parameter: z.string().nullable(),
    })
    .nullable(),
  /** Positional (`"1"`, `"2"`) or named (`"first_name"`) body parameters, in order. */
  body: z.array(z.string()),
  /** Buttons that take a value at send time, by their index. */
  buttons: z.array(
    z.object({
      index: z.number().int(),
      type: z.string(),
      value: z.enum(['url_suffix', 'payload', 'coupon_code', 'otp_code']),
      required: z.boolean(),
    }),
  ),
});

export const templateViewSchema = z
  .object({
    id: z.uuid(),
    numberId: z.uuid(),
    wabaId: z.string(),
    /** Graph's template id (a string: ids exceed 2^53); null until Meta has answered. */
    externalId: z.string().nullable(),
    name: z.string(),
    language: z.string(),
    category: z.string(),
    status: z.string(),
    statusReason: z.string().nullable(),
    parameterFormat: z.enum(templateParameterFormats),
    components: z.array(z.record(z.string(), z.unknown())),
    needs: templateNeedsSchema,
    syncedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'MessageTemplate' });
export type TemplateView = z.infer<typeof templateViewSchema>;

export const templatePreviewSchema = z
  .object({
    header: z
      .union([
        z.object({ type: z.literal('text'), text: z.string() }),
        z.object({
          type: z.enum(['image', 'video', 'document']),
          attachmentId: z.string().optional(),
          link: z.string().optional(),
          filename: z.string().optional(),
        }),
      ])
      .nullable(),
    body: z.string(),
    footer: z.string().nullable(),
    buttons: z.array(
      z.object({
        index: z.number().int(),
        type: z.string(),
        text: z.string(),
        url: z.string().optional(),
        phoneNumber: z.string().optional(),
        payload: z.string().optional(),
        code: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'TemplatePreview' });
export type TemplatePreview = z.infer<typeof templatePreviewSchema>;

export const templateSyncResultSchema = z.object({
  fetched: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  deleted: z.number().int(),
});
export type TemplateSyncResult = z.infer<typeof templateSyncResultSchema>;
