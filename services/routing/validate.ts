import type { z } from 'zod';
import { UrbanflowError } from '../../core/errors/index.js';

/** zod parse with the project's error shape ("from.lat must be between -90 and 90"), for callers that bypass the gateway. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  let field = '';
  for (const p of issue.path) field += typeof p === 'number' ? `[${p}]` : field ? `.${String(p)}` : String(p);
  field ||= 'body';
  const message = /^(must|is|should|needs|has)\b/.test(issue.message) ? `${field} ${issue.message}` : `${field}: ${issue.message}`;
  throw new UrbanflowError('INVALID_INPUT', message, { field, module: 'services/routing', details: r.error.issues.map((i) => ({ path: i.path, message: i.message })) });
}
