import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { messageFrame, parseMulti, printMulti, renderMulti, type MultiToken, type SignFace } from '../../core/multi/index.js';
import { shape } from './helpers.js';

/** MULTI-looking strings: real tags (valid and broken), text, brackets and odd characters. */
const piece = fc.oneof(
  fc.constantFrom('[nl]', '[np]', '[nl3]', '[pt20o5]', '[pt]', '[jl2]', '[jl3]', '[jl4]', '[jp2]', '[jp3]', '[jp4]', '[fo1]', '[fo2]', '[fo9]'),
  fc.constantFrom('[cf1]', '[cf255,128,0]', '[pb5]', '[cb0]', '[cr1,1,5,3,1]', '[cr2,2,0,0,0,0,255]', '[tr1,1,30,9]', '[sc2]', '[/sc]'),
  fc.constantFrom('[fl]', '[flt3o2]', '[flo4t6]', '[/fl]', '[f1]', '[f2]', '[f3,3]', '[f5]', '[hc41]', '[hc7f]', '[mvcl20,1,2,GO]', '[mvl2r15,2,1,X]'),
  fc.constantFrom('[[', ']]', '[', ']', '[nl', '[xx]', '[jl9]', '[cf999]', '[cr0,0,0,0,0]', '[f99]', '\u00e9', '\n'),
  fc.stringMatching(/^[A-Z0-9 :-]{0,8}$/),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: 0, max: 999 }).map((n) => `[${['nl', 'pt', 'jl', 'jp', 'fo', 'cf', 'sc', 'f', 'hc'][n % 9]}${n}]`),
);
const broken = fc.array(piece, { maxLength: 25 }).map((a) => a.join(''));
/** mostly valid messages, so that the render and pixel comparisons run often */
const validPiece = fc.oneof(
  fc.constantFrom('[nl]', '[np]', '[pt20o5]', '[jl2]', '[jl4]', '[jp2]', '[jp4]', '[fo2]', '[fo3]', '[fo1]', '[cf1]', '[pb0]', '[cr1,1,5,3,1]', '[sc2]', '[/sc]'),
  fc.constantFrom('[flt3o2]', '[/fl]', '[f2]', '[f3]', '[hc41]', '[mvcl20,1,2,GO]', '[[', ']]'),
  fc.stringMatching(/^[A-Z0-9 ]{0,6}$/),
);
const validish = fc.array(validPiece, { maxLength: 8 }).map((a) => a.join(''));
const multiish = fc.oneof(broken, validish);

const faces: SignFace[] = [
  { type: 'full', width: 96, height: 27 },
  { type: 'full', width: 40, height: 16, colourScheme: 'monochrome1bit', maxPages: 3 },
  { type: 'line', width: 60, height: 24, cellHeight: 8, colourScheme: 'classic' },
  { type: 'character', width: 12 * 6, height: 3 * 8, cellWidth: 6, cellHeight: 8, fonts: [1] },
];
const face = fc.constantFrom(...faces);
const fields = { now: Date.UTC(2026, 0, 2, 3, 4), temperatureC: 7, speedKmh: 80 };

describe('MULTI properties', () => {
  it('whatever the parser accepts renders without throwing, and errors point into the string', () => {
    fc.assert(
      fc.property(multiish, face, (s, f) => {
        const parsed = parseMulti(s);
        const r = renderMulti(s, f, fields);
        for (const e of r.errors) {
          expect(e.position).toBeGreaterThanOrEqual(0);
          expect(e.position).toBeLessThanOrEqual(s.length);
        }
        if (parsed.errors.length > 0) expect(r.errors.length).toBeGreaterThan(0);
        if (r.errors.length === 0) {
          expect(r.pages.length).toBeGreaterThan(0);
          for (const p of r.pages) {
            expect(p.pixels).toHaveLength(f.width * f.height);
            for (let t = 0; t < 3; t++) messageFrame(r.pages, t * 700);
          }
        }
      }),
      { numRuns: 600 },
    );
  });

  it('parse then print gives back an equivalent message', () => {
    fc.assert(
      fc.property(multiish, face, (s, f) => {
        const first = parseMulti(s);
        const printed = printMulti(first.tokens);
        const again = parseMulti(printed);
        expect(again.errors).toEqual([]);
        expect(normal(again.tokens)).toEqual(normal(first.tokens));
        // printing is a fixed point, and both render the same pixels when valid
        expect(printMulti(again.tokens)).toBe(printed);
        if (first.errors.length === 0) {
          const a = renderMulti(s, f, fields);
          const b = renderMulti(printed, f, fields);
          expect(b.errors.map((e) => e.code)).toEqual(a.errors.map((e) => e.code));
          expect(b.pages.map((p) => p.pixels)).toEqual(a.pages.map((p) => p.pixels));
        }
      }),
      { numRuns: 600 },
    );
  });
});

// adjacent text runs merge once printed (e.g. 'A' + '[[' or text around a dropped bad tag)
function normal(tokens: MultiToken[]): unknown[] {
  const out: unknown[] = [];
  for (const t of shape(tokens) as { kind: string; text?: string }[]) {
    const last = out[out.length - 1] as { kind: string; text?: string } | undefined;
    if (t.kind === 'text' && last?.kind === 'text') last.text += t.text!;
    else out.push({ ...t });
  }
  return out;
}
