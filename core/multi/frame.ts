import { hexColour } from './colours.js';
import type { MovingText, RenderedPage } from './types.js';

/**
 * What a sign shows at a moment: the same functions drive the server preview, the CLI and the
 * browser sign, so all three agree pixel for pixel.
 */

/** Colour of moving-text pixel (col, row) of its window, `ms` after the page began. */
export function movingColumn(m: MovingText, col: number, row: number, ms: number): number {
  const steps = Math.floor(ms / (Math.max(1, m.rate) * 100));
  const offset = steps * m.step;
  const S = m.stripWidth;
  let sx: number;
  if (m.mode === 'c') {
    sx = m.dir === 'l' ? col + offset : col - offset;
    sx = ((sx % S) + S) % S;
  } else {
    // linear: enters from one side and stops when it reaches the other
    const x0 = m.dir === 'l' ? Math.max(0, m.width - offset) : Math.min(m.width - S, offset - S);
    sx = col - x0;
  }
  const c = sx >= 0 && sx < S ? m.strip[row * S + sx] : -1;
  return c === -1 || c === undefined ? m.background[row * m.width + col] : c;
}

/** Pixels of one page `ms` after it began showing (flashing and moving text applied). */
export function pageFrame(page: RenderedPage, ms: number): number[] {
  const out = page.pixels.slice();
  for (const f of page.flashes) {
    const cycle = (f.on + f.off) * 100;
    const phase = cycle > 0 ? ms % cycle : 0;
    const visible = f.startOn ? phase < f.on * 100 : phase >= f.off * 100;
    if (!visible) for (let k = 0; k < f.indices.length; k++) out[f.indices[k]] = f.hidden[k];
  }
  for (const m of page.moving) {
    for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) out[(m.y + y) * page.width + m.x + x] = movingColumn(m, x, y, ms);
  }
  return out;
}

/**
 * The message `ms` after it started: pages cycle, each shown for `on` tenths then dark for
 * `off` tenths. A single page without off-time stays up. `pixels` is null while dark.
 */
export function messageFrame(pages: readonly RenderedPage[], ms: number): { page: number; pageMs: number; pixels: number[] | null } {
  if (pages.length === 0) return { page: -1, pageMs: 0, pixels: null };
  const durations = pages.map((p) => (p.on + p.off) * 100);
  const total = durations.reduce((a, b) => a + b, 0);
  if ((pages.length === 1 && pages[0].off === 0) || total === 0) return { page: 0, pageMs: ms, pixels: pageFrame(pages[0], ms) };
  let t = ((ms % total) + total) % total;
  let i = 0;
  while (t >= durations[i]) {
    t -= durations[i];
    i++;
  }
  const p = pages[i];
  return { page: i, pageMs: t, pixels: t < p.on * 100 ? pageFrame(p, t) : null };
}

/** A page as text rows for JSON: one character per pixel, indexing `palette` (0 is always dark). */
export function pageRows(pixels: readonly number[], width: number): { palette: string[]; rows: string[] } {
  const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const palette = [0];
  const index = new Map<number, number>([[0, 0]]);
  const rows: string[] = [];
  for (let y = 0; y * width < pixels.length; y++) {
    let row = '';
    for (let x = 0; x < width; x++) {
      const c = pixels[y * width + x];
      let k = index.get(c);
      if (k === undefined) {
        k = palette.length;
        palette.push(c);
        index.set(c, k);
      }
      row += DIGITS[k] ?? '?';
    }
    rows.push(row);
  }
  return { palette: palette.map(hexColour), rows };
}

/** RGBA bytes of a frame (dark frames all black), e.g. for a PNG encoder or a canvas. */
export function frameRgba(pixels: readonly number[] | null, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const c = pixels ? pixels[i] : 0;
    out[4 * i] = (c >> 16) & 255;
    out[4 * i + 1] = (c >> 8) & 255;
    out[4 * i + 2] = c & 255;
    out[4 * i + 3] = 255;
  }
  return out;
}

/**
 * A frame drawn as an LED face: each pixel a `scale`-sized round-ish dot on a dark board, dark
 * LEDs faintly visible. RGBA bytes, (width*scale) x (height*scale).
 */
export function ledFaceRgba(pixels: readonly number[] | null, width: number, height: number, scale = 4): Uint8Array {
  const W = width * scale;
  const out = new Uint8Array(W * height * scale * 4);
  const r = scale / 2;
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < W; x++) {
      const px = Math.floor(x / scale);
      const py = Math.floor(y / scale);
      const dx = (x % scale) + 0.5 - r;
      const dy = (y % scale) + 0.5 - r;
      const inside = scale < 3 || dx * dx + dy * dy <= r * r * 0.8;
      const c = pixels ? pixels[py * width + px] : 0;
      const k = 4 * (y * W + x);
      const lit = inside ? (c === 0 ? 0x1a1a1a : c) : 0x050505;
      out[k] = (lit >> 16) & 255;
      out[k + 1] = (lit >> 8) & 255;
      out[k + 2] = lit & 255;
      out[k + 3] = 255;
    }
  }
  return out;
}
