import type { z } from 'zod';
import { UrbanflowError } from '../../core/errors/index.js';

/** `pings[3].lat` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || 'body';
}

/**
 * Validate an input with a zod schema from core/contracts. On failure throws INVALID_INPUT
 * naming the first bad field; the message reads "<field> <what is wrong>", e.g.
 * "from.lat must be between -90 and 90" when the schema carries that message.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => {
    const field = formatPath(root ? [root, ...i.path] : i.path);
    return { field, message: i.message };
  });
  const first = issues[0];
  const message = /^(must|is|should|needs|has)\b/.test(first.message) ? `${first.field} ${first.message}` : `${first.field}: ${first.message}`;
  throw new UrbanflowError('INVALID_INPUT', message, { field: first.field, details: issues });
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return parseInput(schema, body ?? {});
}

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  return parseInput(schema, query ?? {});
}
