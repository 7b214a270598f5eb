import { layoutMulti } from './layout.js';
import { rasterPage } from './raster.js';
import type { ParseResult } from './parse.js';
import type { FieldValues, MultiError, RenderResult, SignFace } from './types.js';

/**
 * Parse, check and lay out a MULTI message for a sign. Pages come back only when there is no
 * error at all, so a sign never shows half a message.
 */
export function renderMulti(input: string | ParseResult, face: SignFace, fields: FieldValues = {}): RenderResult {
  const layout = layoutMulti(input, face, fields);
  const errors = layout.errors.slice();
  const pages = layout.pages.map((p) => rasterPage(p, layout.face, errors));
  errors.sort((a, b) => a.position - b.position);
  return errors.length ? { pages: [], errors } : { pages, errors };
}

/** Every problem of a MULTI message on a sign, in order of position (empty when it is valid). */
export function validateMulti(input: string, face: SignFace, fields: FieldValues = {}): MultiError[] {
  return renderMulti(input, face, fields).errors;
}
