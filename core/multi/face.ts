import { AMBER } from './colours.js';
import { BUILTIN_FONTS } from './fonts.js';
import type { SignFace } from './types.js';

export type FullFace = Required<Omit<SignFace, 'cellWidth' | 'cellHeight'>> & { cellWidth: number; cellHeight: number };

/** Defaults in one place: an amber full-matrix sign, font 1, 3 s pages, 0.5 s flashing. */
export const FACE_DEFAULTS = {
  cellWidth: 6,
  cellHeight: 8,
  defaultFont: 1,
  colourScheme: 'colour24bit',
  foreground: AMBER,
  background: 0x000000,
  maxPages: 6,
  defaultPageOn: 30,
  defaultPageOff: 0,
  defaultFlashOn: 5,
  defaultFlashOff: 5,
  defaultLineJustification: 3,
  defaultPageJustification: 3,
  maxLength: 1024,
} as const;

export function completeFace(face: SignFace): FullFace {
  return {
    type: face.type,
    width: face.width,
    height: face.height,
    cellWidth: face.cellWidth ?? FACE_DEFAULTS.cellWidth,
    cellHeight: face.cellHeight ?? FACE_DEFAULTS.cellHeight,
    fonts: face.fonts ?? [...BUILTIN_FONTS.keys()],
    defaultFont: face.defaultFont ?? face.fonts?.[0] ?? FACE_DEFAULTS.defaultFont,
    colourScheme: face.colourScheme ?? FACE_DEFAULTS.colourScheme,
    foreground: face.foreground ?? FACE_DEFAULTS.foreground,
    background: face.background ?? FACE_DEFAULTS.background,
    maxPages: face.maxPages ?? FACE_DEFAULTS.maxPages,
    defaultPageOn: face.defaultPageOn ?? FACE_DEFAULTS.defaultPageOn,
    defaultPageOff: face.defaultPageOff ?? FACE_DEFAULTS.defaultPageOff,
    defaultFlashOn: face.defaultFlashOn ?? FACE_DEFAULTS.defaultFlashOn,
    defaultFlashOff: face.defaultFlashOff ?? FACE_DEFAULTS.defaultFlashOff,
    defaultLineJustification: face.defaultLineJustification ?? FACE_DEFAULTS.defaultLineJustification,
    defaultPageJustification: face.defaultPageJustification ?? FACE_DEFAULTS.defaultPageJustification,
    maxLength: face.maxLength ?? FACE_DEFAULTS.maxLength,
  };
}

/** A face description that makes sense (used by the sign registry and the CLI); undefined when fine. */
export function faceProblem(face: SignFace): { field: string; message: string } | undefined {
  const f = completeFace(face);
  const int = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(f.width, 1, 1024)) return { field: 'width', message: `width must be an integer 1-1024 pixels, got ${face.width}` };
  if (!int(f.height, 1, 256)) return { field: 'height', message: `height must be an integer 1-256 pixels, got ${face.height}` };
  if (!int(f.cellWidth, 1, 64) || !int(f.cellHeight, 7, 64)) return { field: 'cellHeight', message: 'character cells must be 1-64 wide and 7-64 high' };
  for (const n of f.fonts) if (!BUILTIN_FONTS.has(n)) return { field: 'fonts', message: `font ${n} does not exist (have ${[...BUILTIN_FONTS.keys()].join(', ')})` };
  if (!f.fonts.includes(f.defaultFont)) return { field: 'defaultFont', message: `default font ${f.defaultFont} is not among the sign's fonts` };
  if (!int(f.maxPages, 1, 32)) return { field: 'maxPages', message: `maxPages must be 1-32, got ${face.maxPages}` };
  return undefined;
}
