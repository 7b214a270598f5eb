/**
 * The one error family. `code` is stable (clients switch on it), `field` names the bad input
 * when there is one, `retryable` says whether the same call may succeed later. The gateway maps
 * codes to HTTP statuses (gateway/http/problem.ts); services never know about HTTP.
 */
export const ERROR_CODES = {
  INVALID_INPUT: 'invalid input',
  INVALID_FILE: 'input file is malformed',
  NOT_FOUND: 'not found',
  CONFLICT: 'conflicts with the current state',
  UNAUTHENTICATED: 'missing or invalid credentials',
  FORBIDDEN: 'role not allowed',
  RATE_LIMITED: 'too many requests',
  NOT_ON_NETWORK: 'location too far from any usable road',
  NO_ROUTE: 'no route',
  UNAVAILABLE: 'dependency unavailable',
  CONFIG: 'bad configuration',
  INTERNAL: 'internal error',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES | (string & {});

export interface ErrorDetails {
  field?: string;
  retryable?: boolean;
  /** module that raised it, e.g. 'core/graph/osm-import' */
  module?: string;
  /** any extra structured facts (positions in a MULTI string, line numbers ...) */
  details?: unknown;
  cause?: unknown;
}

export class UrbanflowError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly retryable: boolean;
  readonly module?: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, opts: ErrorDetails = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UrbanflowError';
    this.code = code;
    this.field = opts.field;
    this.retryable = opts.retryable ?? false;
    this.module = opts.module;
    this.details = opts.details;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, field: this.field, retryable: this.retryable, module: this.module, details: this.details };
  }
}

export function invalidInput(field: string, message: string, details?: unknown): UrbanflowError {
  return new UrbanflowError('INVALID_INPUT', message, { field, details });
}

export function invalidFile(file: string, message: string, details?: unknown): UrbanflowError {
  return new UrbanflowError('INVALID_FILE', `${file}: ${message}`, { field: file, details });
}

export function notFound(what: string, id: string | number): UrbanflowError {
  return new UrbanflowError('NOT_FOUND', `${what} ${id} not found`, { field: what });
}

export function isUrbanflowError(e: unknown): e is UrbanflowError {
  return e instanceof UrbanflowError;
}
