import type { ErrorRequestHandler, RequestHandler } from 'express';
import { UrbanflowError, isUrbanflowError } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/index.js';

/** Stable error code -> HTTP status. Codes not listed are business-rule refusals: 422. */
const STATUS: Record<string, number> = {
  INVALID_INPUT: 400,
  INVALID_FILE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  NOT_ON_NETWORK: 422,
  NO_ROUTE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  CONFIG: 500,
  UNAVAILABLE: 503,
};

export function statusForCode(code: string): number {
  return STATUS[code] ?? 422;
}

/** RFC 9457 problem details, with our stable code and the field at fault. */
export function problemBody(e: UrbanflowError, instance?: string) {
  const status = statusForCode(e.code);
  return {
    type: `urn:urbanflow:error:${e.code}`,
    title: e.code,
    status,
    detail: e.message,
    code: e.code,
    ...(e.field !== undefined ? { field: e.field } : {}),
    retryable: e.retryable,
    ...(e.details !== undefined ? { details: e.details } : {}),
    ...(instance ? { instance } : {}),
  };
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new UrbanflowError('NOT_FOUND', `no route for ${req.method} ${req.path}`, { field: 'path' }));
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let e: UrbanflowError;
    if (isUrbanflowError(err)) e = err;
    else if (err && typeof err === 'object' && 'type' in err && (err as { type: string }).type === 'entity.parse.failed') {
      e = new UrbanflowError('INVALID_INPUT', 'request body is not valid JSON', { field: 'body' });
    } else if (err && typeof err === 'object' && 'type' in err && (err as { type: string }).type === 'entity.too.large') {
      e = new UrbanflowError('INVALID_INPUT', 'request body too large', { field: 'body' });
    } else {
      logger.error({ err, path: req.path }, 'unhandled error');
      e = new UrbanflowError('INTERNAL', 'internal error', { retryable: true });
    }
    const body = problemBody(e, req.originalUrl);
    if (body.status >= 500) logger.warn({ code: e.code, path: req.path }, e.message);
    if (res.headersSent) return;
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  };
}
