import { z } from 'zod';

// What an agent (or an API client) sends to a client on WhatsApp: the body of
// `POST /api/v1/conversations/{id}/messages`. Shapes follow the Cloud API's own send body
// (contract doc §4) with camelCase names; limits are Meta's, checked here so that a message we
// queue is one Meta will take.

const trimmed = (max: number, label = 'Required') =>
  z.string().trim().min(1, label).max(max, `Must be at most ${max} characters`);
const httpUrl = z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' });

/** Our id of a quoted message (any message of the conversation that has a WhatsApp id). */
const replyTo = z.uuid({ error: 'Must be a message id' }).optional();

export const textSendSchema = z.strictObject({
  type: z.literal('text'),
  text: z.strictObject({
    body: trimmed(4096),
    /** Link preview from the first http(s) URL (default off). */
    previewUrl: z.boolean().default(false),
  }),
  replyTo,
});

/** A file: an attachment uploaded to us (`POST /api/v1/attachments`) or a public link; exactly one. */
const fileFields = {
  attachmentId: z.uuid({ error: 'Must be an attachment id' }).optional(),
  link: httpUrl.optional(),
};
function file<T extends z.core.$ZodLooseShape>(extra: T) {
  return z.strictObject({ ...fileFields, ...extra }).refine(
    (m) => {
      const f = m as { attachmentId?: string; link?: string };
      return (f.attachmentId === undefined) !== (f.link === undefined);
    },
    { error: 'Give exactly one of attachmentId and link', path: ['attachmentId'] },
  );
}

const caption = trimmed(1024).optional();
export const mediaSendSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('image'), image: file({ caption }), replyTo }),
  z.strictObject({ type: z.literal('video'), video: file({ caption }), replyTo }),
  z.strictObject({
    type: z.literal('document'),
    document: file({ caption, filename: trimmed(240).optional() }),
    replyTo,
  }),
  z.strictObject({ type: z.literal('audio'), audio: file({ voice: z.boolean().default(false) }), replyTo }),
  z.strictObject({ type: z.literal('sticker'), sticker: file({}), replyTo }),
]);

export const locationSendSchema = z.strictObject({
  type: z.literal('location'),
  location: z.strictObject({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: trimmed(1000).optional(),
    address: trimmed(1000).optional(),
  }),
  replyTo,
});

const contactCard = z.strictObject({
  name: z.strictObject({
    formattedName: trimmed(200),
    firstName: trimmed(100).optional(),
    lastName: trimmed(100).optional(),
  }),
  phones: z
    .array(z.strictObject({ phone: trimmed(40), type: trimmed(20).optional(), waId: trimmed(20).optional() }))
    .max(20)
    .default([]),
  emails: z
    .array(z.strictObject({ email: z.email(), type: trimmed(20).optional() }))
    .max(20)
    .default([]),
});
export const contactsSendSchema = z.strictObject({
  type: z.literal('contacts'),
  contacts: z.array(contactCard).min(1, 'At least one contact').max(20),
  replyTo,
});

/** An emoji reaction to a message of the conversation; an empty emoji removes ours. */
export const reactionSendSchema = z.strictObject({
  type: z.literal('reaction'),
  reaction: z.strictObject({
    messageId: z.uuid({ error: 'Must be a message id' }),
    emoji: z.string().max(16, 'One emoji'),
  }),
});

const header = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: trimmed(60) }),
  file({ type: z.literal('image') }),
  file({ type: z.literal('video') }),
  file({ type: z.literal('document'), filename: trimmed(240).optional() }),
]);
const interactiveCommon = {
  header: header.optional(),
  body: z.strictObject({ text: trimmed(1024) }),
  footer: z.strictObject({ text: trimmed(60) }).optional(),
};
export const interactiveSendSchema = z.strictObject({
  type: z.literal('interactive'),
  interactive: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('button'),
      ...interactiveCommon,
      buttons: z
        .array(z.strictObject({ id: trimmed(256), title: trimmed(20) }))
        .min(1, 'At least one button')
        .max(3, 'At most 3 buttons')
        .refine((b) => new Set(b.map((x) => x.title)).size === b.length, 'Button titles must be unique'),
    }),
    z.strictObject({
      type: z.literal('list'),
      header: z.strictObject({ type: z.literal('text'), text: trimmed(60) }).optional(),
      body: z.strictObject({ text: trimmed(4096) }),
      footer: interactiveCommon.footer,
      button: trimmed(20),
      sections: z
        .array(
          z.strictObject({
            title: trimmed(24).optional(),
            rows: z
              .array(
                z.strictObject({
                  id: trimmed(200),
                  title: trimmed(24),
                  description: trimmed(72).optional(),
                }),
              )
              .min(1, 'At least one row'),
          }),
        )
        .min(1, 'At least one section')
        .max(10, 'At most 10 sections')
        .refine((s) => s.reduce((n, x) => n + x.rows.length, 0) <= 10, 'At most 10 rows in all sections'),
    }),
    z.strictObject({
      type: z.literal('cta_url'),
      ...interactiveCommon,
      action: z.strictObject({ displayText: trimmed(20), url: httpUrl }),
    }),
  ]),
  replyTo,
});

/**
 * A template with its parameters. `body` is positional (`["Ana", "123"]` for `{{1}}`, `{{2}}`) or
 * named (`{"first_name": "Ana"}`), as the template declares. Buttons that take a parameter (URL
 * suffix, quick-reply payload, coupon code) are given by their index in the template.
 */
export const templateSendSchema = z.strictObject({
  type: z.literal('template'),
  template: z.strictObject({
    name: trimmed(512),
    language: trimmed(15),
    parameters: z
      .strictObject({
        header: header.optional(),
        body: z.union([z.array(z.string()), z.record(z.string(), z.string())]).optional(),
        buttons: z
          .array(z.strictObject({ index: z.number().int().min(0).max(9), value: trimmed(2000) }))
          .max(10)
          .optional(),
      })
      .default({}),
  }),
  replyTo,
});
export type TemplateSend = z.infer<typeof templateSendSchema>['template'];

export const sendMessageRequestSchema = z.discriminatedUnion('type', [
  textSendSchema,
  ...mediaSendSchema.options,
  locationSendSchema,
  contactsSendSchema,
  reactionSendSchema,
  interactiveSendSchema,
  templateSendSchema,
]);
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;
