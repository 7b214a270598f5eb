import { describe, expect, it } from 'vitest';
import { messageFrame, pageFrame, pageRows, renderMulti, validateMulti, type SignFace } from '../../core/multi/index.js';
import { FONT_5X7_ART } from '../../core/multi/font-5x7.js';
import { art, litBox } from './helpers.js';

const full = (width: number, height: number, extra: Partial<SignFace> = {}): SignFace => ({ type: 'full', width, height, ...extra });

describe('renderMulti layout', () => {
  it('draws a glyph exactly as the font defines it', () => {
    const r = renderMulti('[jl2][jp2]A', full(5, 7));
    expect(r.errors).toEqual([]);
    expect(art(r.pages[0])).toEqual(FONT_5X7_ART.A.split('|').map((row) => row));
  });

  it('centres a line by default and honours left and right justification', () => {
    const centre = litBox(renderMulti('I', full(21, 7)).pages[0])!;
    expect([centre.x0, centre.x1]).toEqual([9, 11]); // 'I' is 3 wide: (21 - 3) / 2 = 9
    const left = litBox(renderMulti('[jl2]I', full(21, 7)).pages[0])!;
    expect(left.x0).toBe(0);
    const right = litBox(renderMulti('[jl4]I', full(21, 7)).pages[0])!;
    expect(right.x1).toBe(20);
  });

  it('puts left, centre and right fragments of one line in their places', () => {
    const page = renderMulti('[jl2]I[jl3]I[jl4]I', full(31, 7)).pages[0];
    const cols = art(page)[0]; // top row of 'I' is ###
    expect(cols.slice(0, 3)).toBe('###');
    expect(cols.slice(14, 17)).toBe('###');
    expect(cols.slice(28, 31)).toBe('###');
  });

  it('justifies lines on the page: top, middle and bottom', () => {
    const face = full(10, 27);
    expect(litBox(renderMulti('[jp2]I', face).pages[0])!.y0).toBe(0);
    expect(litBox(renderMulti('[jp4]I', face).pages[0])!.y1).toBe(26);
    expect(litBox(renderMulti('[jp3]I', face).pages[0])!.y0).toBe(10); // (27 - 7) / 2
    // two lines, default spacing 2: 16 pixels, centred from row 5
    const two = litBox(renderMulti('I[nl]I', face).pages[0])!;
    expect([two.y0, two.y1]).toEqual([5, 20]);
    // explicit [nl5] spacing
    const spaced = litBox(renderMulti('[jp2]I[nl5]I', face).pages[0])!;
    expect(spaced.y1).toBe(7 + 5 + 7 - 1);
  });

  it('keeps top and bottom groups apart in one text rectangle', () => {
    const page = renderMulti('[jp2]I[nl][jp4]I', full(5, 27)).pages[0];
    const rows = art(page);
    expect(rows[0]).not.toBe('.....');
    expect(rows[26]).not.toBe('.....');
    expect(rows[13]).toBe('.....');
  });

  it('applies foreground, page background and colour rectangles', () => {
    const r = renderMulti('[pb5][cr1,1,2,2,255,0,0][cf3][jl4][jp4]I', full(10, 7));
    const p = r.pages[0];
    expect(p.pixels[0]).toBe(0xff0000); // rectangle
    expect(p.pixels[1 * 10 + 1]).toBe(0xff0000);
    expect(p.pixels[5]).toBe(0x0000ff); // background blue (classic 5)
    expect(p.pixels[9]).toBe(0x00ff00); // top-right of 'I' in green (classic 3)
  });

  it('lays text into a text rectangle', () => {
    const p = renderMulti('[tr11,1,10,7][jl2]I', full(20, 7)).pages[0];
    expect(litBox(p)!.x0).toBe(10);
  });

  it('renders the bold font wider than the normal one', () => {
    const normal = litBox(renderMulti('[jl2]H', full(20, 7)).pages[0])!;
    const bold = litBox(renderMulti('[jl2][fo2]H', full(20, 7)).pages[0])!;
    expect(bold.x1 - bold.x0).toBe(normal.x1 - normal.x0 + 1);
  });

  it('renders the double font at twice the size, on the same baseline as small text', () => {
    const big = renderMulti('[jl2][jp2][fo3]I', full(20, 14)).pages[0];
    const small = renderMulti('[jl2][jp2]I', full(20, 7)).pages[0];
    const rows = art(big);
    const srows = art(small);
    for (let y = 0; y < 14; y++) {
      const expected = [...srows[y >> 1].slice(0, 3)].map((c) => c + c).join('');
      expect(rows[y].slice(0, 6), `row ${y}`).toBe(expected);
    }
    // mixed sizes on one line share the bottom row
    const mixed = renderMulti('[jl2][jp2][fo3]I[fo1]I', full(30, 14)).pages[0];
    const box = litBox(mixed)!;
    expect(box.y1).toBe(13);
    expect(art(mixed)[0].slice(8)).toMatch(/^\.+$/); // the small I starts lower
    expect(validateMulti('[fo3]A', { type: 'character', width: 60, height: 8 }).map((e) => e.code)).toEqual(['badTagValue']);
  });

  it('places characters in cells on a character-matrix sign', () => {
    const face: SignFace = { type: 'character', width: 5 * 6, height: 2 * 8, cellWidth: 6, cellHeight: 8 };
    const p = renderMulti('[jl2][jp2]II', face).pages[0];
    // 'I' is 3 wide, centred in a 6-pixel cell: columns 1-3 and 7-9
    expect(art(p)[0]).toBe('.###...###....................');
    expect(validateMulti('[sc3]X', face).map((e) => e.code)).toEqual(['unsupportedTag']);
    expect(validateMulti('[cr1,1,2,2,1]', face).map((e) => e.code)).toEqual(['unsupportedTag']);
    expect(validateMulti('ABCDEF', face).map((e) => e.code)).toEqual(['textTooBig']);
  });

  it('lines on a line-matrix sign sit on the fixed line pitch', () => {
    const face: SignFace = { type: 'line', width: 40, height: 24, cellHeight: 8 };
    const p = renderMulti('[jp2]I[nl9]I', face).pages[0];
    const rows = art(p);
    expect(rows[8]).not.toMatch(/^\.+$/); // second line starts at 8, the [nl9] spacing is ignored
    expect(rows[7]).toMatch(/^\.+$/);
  });
});

describe('renderMulti errors', () => {
  it('reports text too wide at the first character that overflows', () => {
    const errs = validateMulti('ABCD', full(15, 7)); // 5+1+5+1 = 12, C ends at 17
    expect(errs.map((e) => [e.code, e.position])).toEqual([['textTooBig', 2]]);
  });

  it('reports too many lines and too many pages', () => {
    expect(validateMulti('A[nl]B[nl]C', full(20, 20)).map((e) => e.code)).toEqual(['textTooBig']);
    const pages = validateMulti('A[np]B[np]C[np]D', full(20, 7, { maxPages: 2 }));
    expect(pages.map((e) => [e.code, e.position])).toEqual([['tooManyPages', 6]]);
  });

  it('reports undefined characters at their position', () => {
    expect(validateMulti('AB\u00e9C', full(40, 7)).map((e) => [e.code, e.position])).toEqual([['undefinedCharacter', 2]]);
    expect(validateMulti('[hc263a]', full(40, 7)).map((e) => e.code)).toEqual(['undefinedCharacter']);
    expect(validateMulti('A\nB', full(40, 7)).map((e) => [e.code, e.position])).toEqual([['undefinedCharacter', 1]]);
  });

  it('checks fonts, colours and rectangles against the sign', () => {
    expect(validateMulti('[fo2]A', full(40, 7, { fonts: [1] })).map((e) => e.code)).toEqual(['badTagValue']);
    const mono = full(40, 7, { colourScheme: 'monochrome1bit' });
    expect(validateMulti('[cf255,0,0]A', mono).map((e) => e.code)).toEqual(['badTagValue']);
    expect(validateMulti('[cf1]A[cf0]', mono)).toEqual([]);
    expect(validateMulti('[cf9]A', full(40, 7, { colourScheme: 'classic' }))).toEqual([]);
    expect(validateMulti('[cr30,1,20,2,1]', full(40, 7)).map((e) => e.code)).toEqual(['badTagValue']);
  });

  it('rejects out-of-order justification and unbalanced flashing', () => {
    expect(validateMulti('[jl4]A[jl2]B', full(40, 7)).map((e) => e.code)).toEqual(['tagConflict']);
    expect(validateMulti('A[jp2]B', full(40, 7)).map((e) => e.code)).toEqual(['tagConflict']);
    expect(validateMulti('A[/fl]', full(40, 7)).map((e) => e.code)).toEqual(['tagConflict']);
    expect(validateMulti('[fl]A[fl]B', full(40, 7)).map((e) => e.code)).toEqual(['tagConflict']);
  });

  it('rejects a string longer than the sign accepts and returns no pages with errors', () => {
    const r = renderMulti('A'.repeat(50), full(400, 7, { maxLength: 40 }));
    expect(r.errors[0].code).toBe('textTooBig');
    expect(r.pages).toEqual([]);
  });
});

describe('timing, flashing, fields and moving text', () => {
  it('cycles pages with their on and off times', () => {
    const { pages } = renderMulti('[pt20o5]A[np]B', full(10, 7));
    expect(pages.map((p) => [p.on, p.off])).toEqual([
      [20, 5],
      [20, 5],
    ]);
    expect(messageFrame(pages, 0).page).toBe(0);
    expect(messageFrame(pages, 2100).pixels).toBeNull(); // dark gap
    expect(messageFrame(pages, 2600).page).toBe(1);
    expect(messageFrame(pages, 5000 + 100).page).toBe(0); // wraps after 2 x 2.5 s
    expect(messageFrame(pages, 2600).pixels).toEqual(pages[1].pixels);
  });

  it('a single page without off time stays up', () => {
    const { pages } = renderMulti('A', full(10, 7));
    expect(messageFrame(pages, 123456).pixels).toEqual(pages[0].pixels);
  });

  it('flashes text on and off with its own timing, leaving the rest steady', () => {
    const { pages } = renderMulti('[jl2]I[flt3o2]I[/fl]', full(10, 7));
    const p = pages[0];
    expect(litBox(p, pageFrame(p, 0))!.x1).toBe(6);
    const off = pageFrame(p, 350);
    expect(litBox(p, off)!.x1).toBe(2); // second I hidden
    expect(pageFrame(p, 550)).toEqual(p.pixels); // on again after 0.5 s
    // starting dark
    const dark = renderMulti('[flo4t6]I[/fl]', full(10, 7)).pages[0];
    expect(litBox(dark, pageFrame(dark, 0))).toBeUndefined();
    expect(litBox(dark, pageFrame(dark, 450))).toBeDefined();
  });

  it('fills time, temperature and speed fields', () => {
    const now = Date.UTC(2026, 10, 23, 19, 5);
    const face = full(60, 7);
    const viaField = renderMulti('[f2]', face, { now, timeZone: 'Europe/Berlin' }).pages[0].pixels;
    expect(viaField).toEqual(renderMulti('20:05', face).pages[0].pixels);
    expect(renderMulti('[f1]', face, { now }).pages[0].pixels).toEqual(renderMulti('7:05', face).pages[0].pixels);
    expect(renderMulti('[f3]', face, { temperatureC: -3.4 }).pages[0].pixels).toEqual(renderMulti('-3', face).pages[0].pixels);
    expect(renderMulti('[f5]', face, {}).pages[0].pixels).toEqual(renderMulti('--', face).pages[0].pixels);
  });

  it('moves circular text through its window', () => {
    const { pages, errors } = renderMulti('[jl2][mvcl20,1,2,IIIIII]', full(30, 7));
    expect(errors).toEqual([]);
    const p = pages[0];
    const at0 = art(p, pageFrame(p, 0))[0];
    const at1 = art(p, pageFrame(p, 200))[0];
    expect(at0.slice(1, 20)).toBe(at1.slice(0, 19)); // shifted one pixel left
    expect(at0).not.toBe(at1);
    expect(at0.slice(20)).toMatch(/^\.+$/); // nothing outside the 20-pixel window
  });

  it('exports rows with a palette whose index 0 is dark', () => {
    const { pages } = renderMulti('[cf1]I', full(5, 7));
    const { palette, rows } = pageRows(pages[0].pixels, 5);
    expect(palette).toEqual(['#000000', '#ff0000']);
    expect(rows[0]).toBe('.111.'.replace(/\./g, '0'));
  });
});
