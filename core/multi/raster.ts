import { glyphPixel } from './fonts.js';
import type { FullFace } from './face.js';
import type { GlyphItem, Item, Line, MovingItem, PageModel, TextBlock } from './layout.js';
import type { FlashGroup, MovingText, MultiError, RenderedPage } from './types.js';
import { movingColumn } from './frame.js';

/**
 * Places the lines of each text rectangle (page justification top / middle / bottom, line
 * justification left / centre / right, glyphs on a common baseline) and paints the pixels.
 * Text that does not fit is reported as textTooBig at the first character that overflows.
 */
interface Placed {
  item: Item;
  x: number;
  y: number;
}

const itemWidth = (it: Item) => (it.kind === 'glyph' ? it.glyph.width : it.width);

function fragWidth(items: Item[], face: FullFace): number {
  if (face.type === 'character') return items.length * face.cellWidth;
  let w = 0;
  items.forEach((it, i) => {
    w += itemWidth(it) + (i < items.length - 1 && it.kind === 'glyph' ? it.spacing : 0);
  });
  return w;
}

function lineHeight(line: Line): number {
  let h = 0;
  for (const fr of line.frags) for (const it of fr.items) h = Math.max(h, it.height);
  return h || line.fontHeight;
}

/** first item whose right edge passes `limit` pixels, for the error position */
function overflowAt(line: Line, limit: number, face: FullFace): Item | undefined {
  let x = 0;
  for (const fr of line.frags) {
    for (let i = 0; i < fr.items.length; i++) {
      const it = fr.items[i];
      const w = face.type === 'character' ? face.cellWidth : itemWidth(it);
      if (x + w > limit) return it;
      x += w + (face.type !== 'character' && it.kind === 'glyph' ? it.spacing : 0);
    }
  }
  return fr0(line);
}
const fr0 = (line: Line): Item | undefined => line.frags.find((f) => f.items.length)?.items[0];

function placeBlock(block: TextBlock, face: FullFace, errors: MultiError[], out: Placed[]): void {
  const fixed = face.type !== 'full';
  const heights = block.lines.map((l) => (fixed ? face.cellHeight : lineHeight(l)));
  const gaps = block.lines.map((l) => (fixed ? 0 : l.spacingAfter));
  // vertical: cumulative offsets as if everything were top-justified
  const rel: number[] = [];
  let y = 0;
  for (let i = 0; i < block.lines.length; i++) {
    rel.push(y);
    y += heights[i] + (i < block.lines.length - 1 ? gaps[i] : 0);
  }
  const total = y;
  const capacity = fixed ? Math.floor(block.h / face.cellHeight) * face.cellHeight : block.h;
  if (total > capacity) {
    const bad = block.lines.findIndex((_, i) => rel[i] + heights[i] > capacity);
    const line = block.lines[Math.max(0, bad)];
    const it = fr0(line);
    errors.push({ code: 'textTooBig', message: `${block.lines.length} lines need ${total} pixels, the text area is ${capacity} high`, position: it?.pos ?? line.pos, length: it?.len ?? 1 });
    return;
  }
  // shift each justification group: top stays, bottom sinks, middle centres between them
  const groupRange = (jp: number) => {
    const idx = block.lines.map((l, i) => (l.jp === jp ? i : -1)).filter((i) => i >= 0);
    return idx.length ? { first: idx[0], last: idx[idx.length - 1] } : undefined;
  };
  const shift = new Array<number>(block.lines.length).fill(0);
  const bottom = groupRange(4);
  let bottomTop = capacity;
  if (bottom) {
    const s = capacity - total;
    for (let i = bottom.first; i <= bottom.last; i++) shift[i] = s;
    bottomTop = rel[bottom.first] + s;
  }
  const middle = groupRange(3);
  if (middle) {
    const top = groupRange(2);
    const topEnd = top ? rel[top.last] + heights[top.last] + gaps[top.last] : 0;
    const h = rel[middle.last] + heights[middle.last] - rel[middle.first];
    const below = bottom ? gaps[middle.last] : 0;
    let want = Math.floor((capacity - h) / 2);
    if (fixed) want = Math.floor((capacity / face.cellHeight - h / face.cellHeight) / 2) * face.cellHeight;
    const start = Math.max(topEnd, Math.min(want, bottomTop - below - h));
    for (let i = middle.first; i <= middle.last; i++) shift[i] = start - rel[middle.first];
  }
  // fixed-pitch lines keep their glyphs at the top of the cell, the gap below
  block.lines.forEach((line, i) => placeLine(line, block, block.y + rel[i] + shift[i], fixed ? lineHeight(line) : heights[i], face, errors, out));
}

function placeLine(line: Line, block: TextBlock, top: number, height: number, face: FullFace, errors: MultiError[], out: Placed[]): void {
  const width = face.type === 'character' ? Math.floor(block.w / face.cellWidth) * face.cellWidth : block.w;
  const frags = [2, 3, 4].map((j) => line.frags.filter((f) => f.just === j).flatMap((f) => f.items));
  const widths = frags.map((items) => fragWidth(items, face));
  if (widths[0] + widths[1] + widths[2] > width) {
    const it = overflowAt(line, width, face);
    errors.push({ code: 'textTooBig', message: `line needs ${widths[0] + widths[1] + widths[2]} pixels, the text area is ${width} wide`, position: it?.pos ?? line.pos, length: it?.len ?? 1 });
    return;
  }
  const snap = (x: number) => (face.type === 'character' ? Math.floor(x / face.cellWidth) * face.cellWidth : x);
  const starts = [0, snap(Math.max(widths[0], Math.min(Math.floor((width - widths[1]) / 2), width - widths[2] - widths[1]))), width - widths[2]];
  frags.forEach((items, j) => {
    let x = block.x + starts[j];
    for (const it of items) {
      const w = itemWidth(it);
      const cellPad = face.type === 'character' ? Math.floor((face.cellWidth - w) / 2) : 0;
      out.push({ item: it, x: x + cellPad, y: top + height - it.height });
      x += face.type === 'character' ? face.cellWidth : w + (it.kind === 'glyph' ? it.spacing : 0);
    }
  });
}

function paintGlyph(pixels: number[], width: number, height: number, g: GlyphItem, x0: number, y0: number, flashes: Map<number, FlashGroup>): void {
  const group = g.flash ? flashes.get(g.flash.id) ?? flashes.set(g.flash.id, { on: g.flash.on, off: g.flash.off, startOn: g.flash.startOn, indices: [], hidden: [] }).get(g.flash.id)! : undefined;
  for (let y = 0; y < g.glyph.rows.length; y++) {
    for (let x = 0; x < g.glyph.width; x++) {
      const px = x0 + x;
      const py = y0 + y;
      if (px < 0 || py < 0 || px >= width || py >= height || !glyphPixel(g.glyph, x, y)) continue;
      const i = py * width + px;
      if (group) {
        group.indices.push(i);
        group.hidden.push(pixels[i]);
      }
      pixels[i] = g.colour;
    }
  }
}

function movingText(m: MovingItem, x: number, y: number, pixels: number[], width: number): MovingText {
  let stripWidth = 0;
  m.glyphs.forEach((g, i) => {
    stripWidth += g.glyph.width + (i < m.glyphs.length - 1 ? g.spacing : 0);
  });
  // circular text needs a gap before it comes round again
  if (m.token.mode === 'c') stripWidth += Math.max(1, m.glyphs[0]?.spacing ?? 1) * 4;
  stripWidth = Math.max(1, stripWidth);
  const strip = new Array<number>(stripWidth * m.height).fill(-1);
  let gx = 0;
  for (const g of m.glyphs) {
    const gy = m.height - g.height;
    for (let yy = 0; yy < g.glyph.rows.length; yy++) {
      for (let xx = 0; xx < g.glyph.width; xx++) if (glyphPixel(g.glyph, xx, yy)) strip[(gy + yy) * stripWidth + gx + xx] = g.colour;
    }
    gx += g.glyph.width + g.spacing;
  }
  const background: number[] = [];
  for (let yy = 0; yy < m.height; yy++) for (let xx = 0; xx < m.width; xx++) background.push(pixels[(y + yy) * width + x + xx]);
  return { x, y, width: m.width, height: m.height, mode: m.token.mode, dir: m.token.dir, step: m.token.step, rate: m.token.rate, strip, stripWidth, background };
}

export function rasterPage(page: PageModel, face: FullFace, errors: MultiError[]): RenderedPage {
  const { width, height } = face;
  const placed: Placed[] = [];
  for (const block of page.blocks) placeBlock(block, face, errors, placed);
  const pixels = new Array<number>(width * height).fill(page.background);
  for (const r of page.rects) {
    for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) pixels[y * width + x] = r.colour;
  }
  const flashes = new Map<number, FlashGroup>();
  const moving: MovingText[] = [];
  for (const p of placed) {
    if (p.item.kind === 'glyph') paintGlyph(pixels, width, height, p.item, p.x, p.y, flashes);
    else moving.push(movingText(p.item, p.x, p.y, pixels, width));
  }
  // moving text at its first frame
  for (const m of moving) {
    for (let yy = 0; yy < m.height; yy++) for (let xx = 0; xx < m.width; xx++) pixels[(m.y + yy) * width + m.x + xx] = movingColumn(m, xx, yy, 0);
  }
  return { width, height, on: page.on, off: page.off, pixels, flashes: [...flashes.values()], moving };
}
