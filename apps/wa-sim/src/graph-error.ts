// Meta's error envelope. The code table (title, HTTP status) follows the contract doc §4; titles double
// as the `title`/`message` of asynchronous `errors[]` entries in failed status webhooks.

export const ERROR_HREF = 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/';

interface CodeInfo {
  title: string;
  http: number;
}

export const ERROR_CODES: Readonly<Record<number, CodeInfo>> = {
  4: { title: 'Application request limit reached', http: 400 },
  100: { title: 'Invalid parameter', http: 400 },
  190: { title: 'Invalid OAuth access token - Cannot parse access token', http: 401 },
  130429: { title: 'Rate limit hit', http: 400 },
  130472: { title: "User's number is part of an experiment", http: 400 },
  131000: { title: 'Something went wrong', http: 500 },
  131008: { title: 'Required parameter is missing', http: 400 },
  131009: { title: 'Parameter value is not valid', http: 400 },
  131016: { title: 'Service unavailable', http: 503 },
  131026: { title: 'Message undeliverable', http: 400 },
  131047: { title: 'Re-engagement message', http: 400 },
  131048: { title: 'Spam rate limit hit', http: 400 },
  131050: {
    title:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
    http: 400,
  },
  131051: { title: 'Unsupported message type', http: 400 },
  131053: { title: 'Media upload error', http: 400 },
  131056: { title: '(Business Account, Consumer Account) pair rate limit hit', http: 400 },
  132000: { title: 'Number of parameters does not match the expected number of params', http: 400 },
  132001: { title: 'Template name does not exist in the translation', http: 404 },
  132005: { title: 'Translated text too long', http: 400 },
  132012: { title: 'Parameter format does not match format in the created template', http: 400 },
  133010: { title: 'Account not registered', http: 400 },
};

export class GraphError extends Error {
  readonly code: number;
  readonly http: number;
  readonly details: string;
  readonly subcode: number | undefined;

  constructor(code: number, details: string, options: { message?: string; subcode?: number } = {}) {
    const info = ERROR_CODES[code];
    super(options.message ?? info?.title ?? 'Unknown error');
    this.code = code;
    this.http = info?.http ?? 400;
    this.details = details;
    this.subcode = options.subcode;
  }

  /** The exact JSON body Meta returns for a synchronous error. */
  toBody(fbtraceId: string): Record<string, unknown> {
    const error: Record<string, unknown> = {
      message: `(#${this.code}) ${this.message}`,
      type: 'OAuthException',
      code: this.code,
    };
    // Token errors carry no error_data on Graph; everything WhatsApp-specific does.
    if (this.code !== 190) error['error_data'] = { messaging_product: 'whatsapp', details: this.details };
    if (this.subcode !== undefined) error['error_subcode'] = this.subcode;
    error['fbtrace_id'] = fbtraceId;
    if (this.code === 190) error['message'] = this.message;
    return { error };
  }
}

/** The `errors[]` item of a failed status (or an unsupported inbound message). */
export function buildAsyncError(code: number, details: string, title?: string): Record<string, unknown> {
  const t = title ?? ERROR_CODES[code]?.title ?? 'Unknown error';
  return { code, title: t, message: t, error_data: { details }, href: ERROR_HREF };
}

export const missingParam = (name: string): GraphError =>
  new GraphError(100, `The parameter ${name} is required.`, {
    message: `The parameter ${name} is required.`,
  });

export const invalidParam = (details: string): GraphError => new GraphError(131009, details);
