import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, toProblem, type FieldIssue } from '../errors.ts';

function validationIssues(
  error: { validation: { instancePath: string; message?: string | undefined }[] },
  context: string | undefined,
): FieldIssue[] {
  const prefix = context === 'querystring' ? 'query' : (context ?? 'body');
  return error.validation.map((v) => ({
    path: [prefix, ...v.instancePath.split('/').filter(Boolean)].join('.'),
    message: v.message ?? 'Invalid value',
  }));
}

/** Converts anything thrown into an AppError. Unknown errors become an opaque `internal`. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fe = error as Partial<FastifyError> & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(error)) {
    return new AppError('validation_failed', 'One or more fields are invalid.', {
      errors: validationIssues(error, fe.validationContext),
    });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('malformed_request', fe.message ?? 'The body is not valid JSON.', {
        errors: [{ path: 'body', message: fe.message ?? 'Malformed JSON' }],
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body exceeds the size limit.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_VALIDATION':
      return new AppError('validation_failed', fe.message ?? 'Invalid request.', {
        errors: [{ path: 'body', message: fe.message ?? 'Invalid request' }],
      });
    case undefined:
    default:
      break;
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode === 429) {
    return new AppError('rate_limited', 'Too many requests; try again later.');
  }
  return new AppError('internal', 'An unexpected error occurred.', { cause: error });
}

export function sendProblem(error: AppError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error, request.id);
  if (error.code === 'internal') {
    // The detail of an unknown error stays in the log; the client gets only the request id.
    request.log.error({ err: loggableCause(error.cause ?? error) }, 'unhandled error');
    problem.detail = `An unexpected error occurred. Quote request id ${request.id} when reporting it.`;
  } else if (problem.status >= 500) {
    request.log.warn({ code: error.code }, error.message);
  }
  if (error.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  }
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

/**
 * Drizzle's query errors embed the bound parameters in their message, and parameters can be
 * secrets (token hashes, reset links). Log the driver's error and the SQL text, never the values.
 */
function loggableCause(err: unknown): unknown {
  if (err instanceof Error && err.name === 'DrizzleQueryError') {
    const query = (err as Error & { query?: string }).query;
    const cause = err.cause instanceof Error ? err.cause : undefined;
    return {
      type: 'DrizzleQueryError',
      query,
      message: cause?.message,
      code: (cause as { code?: string } | undefined)?.code,
      stack: cause?.stack,
    };
  }
  return err;
}
