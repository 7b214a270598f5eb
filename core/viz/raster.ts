import { PNG } from 'pngjs';

export type Rgb = readonly [number, number, number];

/**
 * A plain RGB raster with thick-line, disc and square drawing: enough for network pictures
 * without a canvas dependency. Out-of-range pixels are clipped silently.
 */
export class Raster {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;

  constructor(width: number, height: number, background: Rgb = [255, 255, 255]) {
    this.width = Math.max(1, Math.round(width));
    this.height = Math.max(1, Math.round(height));
    this.pixels = new Uint8Array(this.width * this.height * 3);
    // one row pixel by pixel, then doubling copies (a per-pixel set() took ~100 ms on a 1600 px map)
    for (let i = 0; i < this.width; i++) this.pixels.set(background, 3 * i);
    for (let filled = 3 * this.width; filled < this.pixels.length; filled *= 2) this.pixels.copyWithin(filled, 0, Math.min(filled, this.pixels.length - filled));
  }

  set(x: number, y: number, c: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = 3 * (y * this.width + x);
    this.pixels[i] = c[0];
    this.pixels[i + 1] = c[1];
    this.pixels[i + 2] = c[2];
  }

  get(x: number, y: number): Rgb {
    const i = 3 * (y * this.width + x);
    return [this.pixels[i], this.pixels[i + 1], this.pixels[i + 2]];
  }

  /** filled square of side `size` centred on (x, y) */
  square(x: number, y: number, size: number, c: Rgb): void {
    const h = Math.floor(size / 2);
    const x0 = Math.round(x) - h, y0 = Math.round(y) - h;
    for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) this.set(x0 + i, y0 + j, c);
  }

  disc(x: number, y: number, radius: number, c: Rgb): void {
    const r = Math.max(0.5, radius);
    const cx = Math.round(x), cy = Math.round(y), R = Math.ceil(r);
    for (let j = -R; j <= R; j++) for (let i = -R; i <= R; i++) if (i * i + j * j <= r * r) this.set(cx + i, cy + j, c);
  }

  /** a line `width` pixels thick (Bresenham, stamping a square per step) */
  line(x0: number, y0: number, x1: number, y1: number, width: number, c: Rgb): void {
    let xa = Math.round(x0), ya = Math.round(y0);
    const xb = Math.round(x1), yb = Math.round(y1);
    // skip lines entirely outside the picture (cheap for zoomed views of big networks)
    if ((xa < -width && xb < -width) || (ya < -width && yb < -width)) return;
    if ((xa > this.width + width && xb > this.width + width) || (ya > this.height + width && yb > this.height + width)) return;
    const dx = Math.abs(xb - xa), dy = -Math.abs(yb - ya);
    const sx = xa < xb ? 1 : -1, sy = ya < yb ? 1 : -1;
    let err = dx + dy;
    const w = Math.max(1, Math.round(width));
    for (let guard = 0; guard < 1e7; guard++) {
      if (w === 1) this.set(xa, ya, c);
      else this.square(xa, ya, w, c);
      if (xa === xb && ya === yb) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        xa += sx;
      }
      if (e2 <= dx) {
        err += dx;
        ya += sy;
      }
    }
  }

  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
    png.data = Buffer.from(this.pixels.buffer, this.pixels.byteOffset, this.pixels.byteLength);
    return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
  }
}
