import type { ColourScheme, MultiColour } from './types.js';

/** NTCIP classic colours 0-9: black, red, yellow, green, cyan, blue, magenta, white, orange, amber. */
export const CLASSIC_COLOURS = [0x000000, 0xff0000, 0xffff00, 0x00ff00, 0x00ffff, 0x0000ff, 0xff00ff, 0xffffff, 0xffa500, 0xffb400] as const;

export const AMBER = 0xffb400;

/**
 * A tag's colour as 0xRRGGBB on a sign with the given colour scheme, or a message saying why the
 * sign cannot show it. Monochrome signs know only 0 (dark) and 1 (lit, in their own colour).
 */
export function resolveColour(c: MultiColour, scheme: ColourScheme, lit: number, dark: number): number | string {
  if (scheme === 'monochrome1bit') {
    if ('rgb' in c) return 'a monochrome sign takes colour 0 or 1, not R,G,B';
    if (c.classic > 1) return `a monochrome sign takes colour 0 or 1, got ${c.classic}`;
    return c.classic === 1 ? lit : dark;
  }
  if ('rgb' in c) {
    if (scheme !== 'colour24bit') return 'this sign takes classic colours 0-9 only';
    return (c.rgb[0] << 16) | (c.rgb[1] << 8) | c.rgb[2];
  }
  return CLASSIC_COLOURS[c.classic];
}

export function hexColour(c: number): string {
  return `#${c.toString(16).padStart(6, '0')}`;
}
