import type { MultiToken, RenderedPage } from '../../core/multi/index.js';

/** tokens without their source positions, for comparing two parses */
export function shape(tokens: MultiToken[]): unknown[] {
  return tokens.map(({ pos: _p, len: _l, ...rest }) => JSON.parse(JSON.stringify(rest)));
}

/** lit pixels of a page as '#'/'.' rows, for readable assertions */
export function art(page: RenderedPage, pixels = page.pixels): string[] {
  const rows: string[] = [];
  for (let y = 0; y < page.height; y++) {
    let r = '';
    for (let x = 0; x < page.width; x++) r += pixels[y * page.width + x] === 0 ? '.' : '#';
    rows.push(r);
  }
  return rows;
}

/** bounding box of lit pixels */
export function litBox(page: RenderedPage, pixels = page.pixels): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let box: { x0: number; y0: number; x1: number; y1: number } | undefined;
  for (let y = 0; y < page.height; y++) {
    for (let x = 0; x < page.width; x++) {
      if (pixels[y * page.width + x] === 0) continue;
      if (!box) box = { x0: x, y0: y, x1: x, y1: y };
      box.x0 = Math.min(box.x0, x);
      box.y0 = Math.min(box.y0, y);
      box.x1 = Math.max(box.x1, x);
      box.y1 = Math.max(box.y1, y);
    }
  }
  return box;
}
