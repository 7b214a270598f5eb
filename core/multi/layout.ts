import { BUILTIN_FONTS, type BitmapFont, type Glyph } from './fonts.js';
import { resolveColour } from './colours.js';
import { fieldText } from './fields.js';
import { completeFace, type FullFace } from './face.js';
import { parseMulti, type ParseResult } from './parse.js';
import type { FieldValues, MultiError, MultiErrorCode, MultiToken, SignFace } from './types.js';

/**
 * Turns MULTI tokens into a page model: pages of text rectangles, each holding lines of
 * fragments (left, centre, right), each holding glyphs with their colour and flash group.
 * Every problem is an error with its position; geometry is decided in place.ts.
 */
export interface FlashSpec {
  id: number;
  on: number;
  off: number;
  startOn: boolean;
}

export interface GlyphItem {
  kind: 'glyph';
  glyph: Glyph;
  height: number;
  colour: number;
  flash?: FlashSpec;
  /** pixels before the next glyph of the same fragment */
  spacing: number;
  pos: number;
  len: number;
}

export interface MovingItem {
  kind: 'mv';
  width: number;
  height: number;
  glyphs: GlyphItem[];
  token: Extract<MultiToken, { kind: 'mv' }>;
  pos: number;
  len: number;
}

export type Item = GlyphItem | MovingItem;

export interface Fragment {
  just: number;
  items: Item[];
}

export interface Line {
  frags: Fragment[];
  jp: number;
  /** height of the font in force when the line began (an empty line is this high) */
  fontHeight: number;
  /** pixels between this line and the next */
  spacingAfter: number;
  pos: number;
}

export interface TextBlock {
  x: number;
  y: number;
  w: number;
  h: number;
  lines: Line[];
}

export interface PageModel {
  background: number;
  on: number;
  off: number;
  rects: { x: number; y: number; w: number; h: number; colour: number }[];
  blocks: TextBlock[];
  pos: number;
}

export interface LayoutResult {
  face: FullFace;
  pages: PageModel[];
  errors: MultiError[];
}

export function layoutMulti(input: string | ParseResult, face: SignFace, fields: FieldValues = {}): LayoutResult {
  const f = completeFace(face);
  const errors: MultiError[] = [];
  const err = (code: MultiErrorCode, message: string, position: number, length = 1) => errors.push({ code, message, position, length });
  if (typeof input === 'string' && input.length > f.maxLength) {
    err('textTooBig', `MULTI string is ${input.length} characters, the sign takes at most ${f.maxLength}`, f.maxLength, input.length - f.maxLength);
    return { face: f, pages: [], errors };
  }
  const parsed = typeof input === 'string' ? parseMulti(input) : input;
  errors.push(...parsed.errors);
  const full = f.type === 'full';

  let font: BitmapFont = BUILTIN_FONTS.get(f.defaultFont)!;
  let fg = f.foreground;
  let jl = f.defaultLineJustification;
  let jp = f.defaultPageJustification;
  let sc: number | undefined;
  let flash: FlashSpec | undefined;
  let flashIds = 0;
  let background = f.background;
  let pageOn = f.defaultPageOn;
  let pageOff = f.defaultPageOff;
  let nextSpacing: number | undefined;
  let tooManyReported = false;

  const pages: PageModel[] = [];
  let page!: PageModel;
  let block!: TextBlock;
  let line!: Line;

  const newLine = (pos: number) => {
    line = { frags: [], jp, fontHeight: font.height, spacingAfter: font.lineSpacing, pos };
    block.lines.push(line);
  };
  const endLine = (pos: number) => {
    line.spacingAfter = nextSpacing ?? Math.max(line.spacingAfter, font.lineSpacing);
    nextSpacing = undefined;
    newLine(pos);
  };
  const newBlock = (x: number, y: number, w: number, h: number, pos: number) => {
    block = { x, y, w, h, lines: [] };
    page.blocks.push(block);
    newLine(pos);
  };
  const newPage = (pos: number) => {
    page = { background, on: pageOn, off: pageOff, rects: [], blocks: [], pos };
    pages.push(page);
    newBlock(0, 0, f.width, f.height, pos);
  };
  newPage(0);

  const lineHasItems = () => line.frags.some((fr) => fr.items.length > 0);
  const glyphItem = (code: number, pos: number, len: number, what: string): GlyphItem | undefined => {
    const glyph = font.glyphs.get(code);
    if (!glyph) {
      err('undefinedCharacter', `${what} is not in font ${font.number}`, pos, len);
      return undefined;
    }
    if (f.type === 'character' && glyph.width > f.cellWidth) {
      err('textTooBig', `${what} is wider than the sign's character cell`, pos, len);
      return undefined;
    }
    return { kind: 'glyph', glyph, height: font.height, colour: fg, flash, spacing: sc ?? font.charSpacing, pos, len };
  };
  const describe = (code: number) => (code >= 0x20 && code < 0x7f ? `'${String.fromCharCode(code)}'` : `character 0x${code.toString(16)}`);
  const addItem = (item: Item | undefined) => {
    if (!item) return;
    let frag = line.frags[line.frags.length - 1];
    if (!frag || frag.just !== jl) {
      frag = { just: jl, items: [] };
      line.frags.push(frag);
    }
    frag.items.push(item);
  };
  const addText = (text: string, pos: number, len: number, perChar: boolean) => {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      addItem(perChar ? glyphItem(code, pos + i, 1, describe(code)) : glyphItem(code, pos, len, `${describe(code)} in [${text}]`));
    }
  };
  const colour = (t: { colour?: import('./types.js').MultiColour; pos: number; len: number }, fallback: number): number => {
    if (!t.colour) return fallback;
    const c = resolveColour(t.colour, f.colourScheme, f.foreground, f.background);
    if (typeof c === 'string') {
      err('badTagValue', c, t.pos, t.len);
      return fallback;
    }
    return c;
  };
  const rectangle = (t: { x: number; y: number; w: number; h: number; pos: number; len: number }) => {
    const w = t.w === 0 ? f.width - t.x + 1 : t.w;
    const h = t.h === 0 ? f.height - t.y + 1 : t.h;
    if (t.x - 1 + w > f.width || t.y - 1 + h > f.height || w < 1 || h < 1) {
      err('badTagValue', `rectangle ${t.x},${t.y},${t.w},${t.h} is outside the ${f.width}x${f.height} sign`, t.pos, t.len);
      return undefined;
    }
    return { x: t.x - 1, y: t.y - 1, w, h };
  };
  const fullOnly = (t: MultiToken): boolean => {
    if (full) return true;
    err('unsupportedTag', `[${t.kind}] needs a full-matrix sign; this one is a ${f.type} matrix`, t.pos, t.len);
    return false;
  };

  for (const t of parsed.tokens) {
    switch (t.kind) {
      case 'text':
        addText(t.text, t.pos, t.len, t.len === t.text.length);
        break;
      case 'hc':
        addItem(glyphItem(t.code, t.pos, t.len, describe(t.code)));
        break;
      case 'f':
        addText(fieldText(t.field, t.width, fields), t.pos, t.len, false);
        break;
      case 'mv': {
        const glyphs: GlyphItem[] = [];
        for (let i = 0; i < t.text.length; i++) {
          const g = glyphItem(t.text.charCodeAt(i), t.pos, t.len, `${describe(t.text.charCodeAt(i))} in moving text`);
          if (g) glyphs.push({ ...g, flash: undefined });
        }
        if (f.type === 'character') err('unsupportedTag', 'moving text needs a line or full matrix sign', t.pos, t.len);
        else addItem({ kind: 'mv', width: t.width, height: font.height, glyphs, token: t, pos: t.pos, len: t.len });
        break;
      }
      case 'nl':
        if (t.spacing !== undefined && full) nextSpacing = t.spacing;
        endLine(t.pos + t.len);
        break;
      case 'np':
        if (pages.length >= f.maxPages) {
          if (!tooManyReported) err('tooManyPages', `the sign shows at most ${f.maxPages} page(s)`, t.pos, t.len);
          tooManyReported = true;
          break;
        }
        flash = undefined;
        nextSpacing = undefined;
        newPage(t.pos + t.len);
        break;
      case 'pt':
        pageOn = t.on ?? f.defaultPageOn;
        pageOff = t.off ?? f.defaultPageOff;
        page.on = pageOn;
        page.off = pageOff;
        break;
      case 'jl': {
        const value = t.value ?? f.defaultLineJustification;
        const last = line.frags.filter((fr) => fr.items.length > 0).pop();
        if (last && value < last.just) err('tagConflict', `line justification cannot go back from ${last.just} to ${value} within a line`, t.pos, t.len);
        else jl = value;
        break;
      }
      case 'jp': {
        const value = t.value ?? f.defaultPageJustification;
        const prev = block.lines.filter((l) => l !== line).pop();
        if (lineHasItems()) err('tagConflict', '[jp] must begin a line', t.pos, t.len);
        else if (prev && value < prev.jp) err('tagConflict', `page justification cannot go back from ${prev.jp} to ${value} in one text rectangle`, t.pos, t.len);
        else {
          jp = value;
          line.jp = value;
        }
        break;
      }
      case 'fo': {
        const n = t.font ?? f.defaultFont;
        const next = BUILTIN_FONTS.get(n);
        if (!next || !f.fonts.includes(n)) err('badTagValue', `font ${n} is not defined on this sign (it has ${f.fonts.join(', ')})`, t.pos, t.len);
        else if (!full && next.height > f.cellHeight) err('badTagValue', `font ${n} is taller than the sign's lines`, t.pos, t.len);
        else {
          font = next;
          if (!lineHasItems()) line.fontHeight = font.height;
        }
        break;
      }
      case 'cf':
        fg = colour(t, f.foreground);
        break;
      case 'pb':
      case 'cb':
        background = colour(t, f.background);
        page.background = background;
        break;
      case 'cr': {
        if (!fullOnly(t)) break;
        const r = rectangle(t);
        if (r) page.rects.push({ ...r, colour: colour(t, f.foreground) });
        break;
      }
      case 'tr': {
        if (!fullOnly(t)) break;
        const r = rectangle(t);
        if (r) {
          flash = undefined;
          nextSpacing = undefined;
          newBlock(r.x, r.y, r.w, r.h, t.pos + t.len);
        }
        break;
      }
      case 'sc':
        if (f.type === 'character') err('unsupportedTag', 'a character-matrix sign has fixed character spacing', t.pos, t.len);
        else sc = t.spacing;
        break;
      case '/sc':
        sc = undefined;
        break;
      case 'fl':
        if (flash) err('tagConflict', 'flashing text cannot nest; close it with [/fl] first', t.pos, t.len);
        else flash = { id: ++flashIds, on: t.on ?? f.defaultFlashOn, off: t.off ?? f.defaultFlashOff, startOn: t.startOn };
        break;
      case '/fl':
        if (!flash) err('tagConflict', '[/fl] without [fl]', t.pos, t.len);
        flash = undefined;
        break;
    }
  }
  errors.sort((a, b) => a.position - b.position);
  return { face: f, pages, errors };
}
