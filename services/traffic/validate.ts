import type { z } from 'zod';
import { UrbanflowError } from '../../core/errors/index.js';

/**
 * The service validates its own inputs with the contract schemas (the gateway does too, but the
 * service is also called directly by the app, the CLI and tests). The field is named like the
 * gateway names it: `pings[3].lat`.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, root?: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = root ? [root, ...issue.path] : issue.path;
  let field = '';
  for (const p of path) field += typeof p === 'number' ? `[${p}]` : field ? `.${String(p)}` : String(p);
  field ||= 'body';
  const sep = /^(must|is|should|needs|has)\b/.test(issue.message) ? ' ' : ': ';
  throw new UrbanflowError('INVALID_INPUT', `${field}${sep}${issue.message}`, { field, module: 'services/traffic' });
}
