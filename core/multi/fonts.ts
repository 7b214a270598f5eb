import { FONT_5X7_ART } from './font-5x7.js';

/** A bitmap font: glyphs keyed by character code, each row a bit mask (bit width-1 = leftmost). */
export interface BitmapFont {
  number: number;
  name: string;
  height: number;
  /** default pixels between characters and between lines */
  charSpacing: number;
  lineSpacing: number;
  glyphs: Map<number, Glyph>;
}

export interface Glyph {
  width: number;
  rows: number[];
}

function compile(art: Record<string, string>): Map<number, Glyph> {
  const glyphs = new Map<number, Glyph>();
  for (const [ch, drawing] of Object.entries(art)) {
    const lines = drawing.split('|');
    const width = lines[0].length;
    const rows = lines.map((line) => {
      if (line.length !== width) throw new Error(`font glyph '${ch}': rows of different widths`);
      let bits = 0;
      for (const c of line) bits = (bits << 1) | (c === '#' ? 1 : 0);
      return bits;
    });
    glyphs.set(ch.charCodeAt(0), { width, rows });
  }
  return glyphs;
}

/** Bold: every stroke doubled one pixel to the right, so glyphs grow one column. */
function embolden(glyphs: Map<number, Glyph>): Map<number, Glyph> {
  const out = new Map<number, Glyph>();
  for (const [code, g] of glyphs) {
    out.set(code, code === 0x20 ? { width: g.width, rows: g.rows.slice() } : { width: g.width + 1, rows: g.rows.map((r) => (r << 1) | r) });
  }
  return out;
}

/** Double size: every LED becomes 2 x 2, for large full-matrix signs. */
function doubled(glyphs: Map<number, Glyph>): Map<number, Glyph> {
  const out = new Map<number, Glyph>();
  for (const [code, g] of glyphs) {
    const rows: number[] = [];
    for (const r of g.rows) {
      let wide = 0;
      for (let x = g.width - 1; x >= 0; x--) wide = (wide << 2) | (((r >> x) & 1) * 3);
      rows.push(wide, wide);
    }
    out.set(code, { width: g.width * 2, rows });
  }
  return out;
}

const normal = compile(FONT_5X7_ART);

/** The fonts every sign may use, by NTCIP font number. */
export const BUILTIN_FONTS: ReadonlyMap<number, BitmapFont> = new Map([
  [1, { number: 1, name: '7-row proportional', height: 7, charSpacing: 1, lineSpacing: 2, glyphs: normal }],
  [2, { number: 2, name: '7-row bold', height: 7, charSpacing: 1, lineSpacing: 2, glyphs: embolden(normal) }],
  [3, { number: 3, name: '14-row double', height: 14, charSpacing: 2, lineSpacing: 3, glyphs: doubled(normal) }],
]);

export function glyphPixel(g: Glyph, x: number, y: number): boolean {
  return ((g.rows[y] >> (g.width - 1 - x)) & 1) === 1;
}
