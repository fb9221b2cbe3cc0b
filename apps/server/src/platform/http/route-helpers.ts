import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problemSchema } from '@switchboard/contracts';
import { actorOf, type Actor } from '../auth/principal.ts';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from './authenticate.ts';

export const idParams = z.strictObject({ id: z.uuid({ error: 'Must be a UUID' }) });

/** The problem responses most routes can give, for the OpenAPI document. */
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  429: problemSchema,
};

export function clientOf(request: FastifyRequest): { ip: string | null; userAgent: string | null } {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

export function requestActor(request: FastifyRequest): Actor {
  if (!request.principal) throw new AppError('unauthenticated');
  return actorOf(request.principal, request.ip);
}

export function setSessionCookie(
  reply: FastifyReply,
  name: string,
  token: string,
  secure: boolean,
  maxAgeSeconds: number,
): void {
  void reply.setCookie(name, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, name = SESSION_COOKIE): void {
  void reply.clearCookie(name, { path: '/' });
}
