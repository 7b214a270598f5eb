import { describe, expect, it } from 'vitest';
import { parseMulti, printMulti } from '../../core/multi/index.js';
import { shape } from './helpers.js';

describe('parseMulti', () => {
  it('reads every supported tag with its values', () => {
    const src =
      '[nl][nl4][np][pt30o5][pt][jl2][jp4][fo2][fo1,1a2b][cf1][cf255,0,16][pb5][cb0][cr1,2,3,4,9][cr1,1,0,0,10,20,30][tr1,1,20,7][sc2][/sc][fl][flt3o2][flo4t6][/fl][f2][f3,4][hc41][mvcl40,2,3,SLOW][mvl2r20,1,1,X]';
    const { tokens, errors } = parseMulti(src);
    expect(errors).toEqual([]);
    expect(shape(tokens)).toEqual([
      { kind: 'nl' },
      { kind: 'nl', spacing: 4 },
      { kind: 'np' },
      { kind: 'pt', on: 30, off: 5 },
      { kind: 'pt' },
      { kind: 'jl', value: 2 },
      { kind: 'jp', value: 4 },
      { kind: 'fo', font: 2 },
      { kind: 'fo', font: 1, version: '1a2b' },
      { kind: 'cf', colour: { classic: 1 } },
      { kind: 'cf', colour: { rgb: [255, 0, 16] } },
      { kind: 'pb', colour: { classic: 5 } },
      { kind: 'cb', colour: { classic: 0 } },
      { kind: 'cr', x: 1, y: 2, w: 3, h: 4, colour: { classic: 9 } },
      { kind: 'cr', x: 1, y: 1, w: 0, h: 0, colour: { rgb: [10, 20, 30] } },
      { kind: 'tr', x: 1, y: 1, w: 20, h: 7 },
      { kind: 'sc', spacing: 2 },
      { kind: '/sc' },
      { kind: 'fl', startOn: true },
      { kind: 'fl', on: 3, off: 2, startOn: true },
      { kind: 'fl', on: 6, off: 4, startOn: false },
      { kind: '/fl' },
      { kind: 'f', field: 2 },
      { kind: 'f', field: 3, width: 4 },
      { kind: 'hc', code: 0x41 },
      { kind: 'mv', mode: 'c', dir: 'l', width: 40, step: 2, rate: 3, text: 'SLOW' },
      { kind: 'mv', mode: 'l', repeat: 2, dir: 'r', width: 20, step: 1, rate: 1, text: 'X' },
    ]);
    // printing gives the same string back (it was already canonical)
    expect(printMulti(tokens)).toBe(src);
  });

  it('is case-insensitive in tag names and keeps text as written', () => {
    const { tokens, errors } = parseMulti('[JL3]Exit [NL]Left');
    expect(errors).toEqual([]);
    expect(printMulti(tokens)).toBe('[jl3]Exit [nl]Left');
  });

  it('reads [[ and ]] as literal brackets and records source positions', () => {
    const { tokens, errors } = parseMulti('A[[B]]C[nl]D');
    expect(errors).toEqual([]);
    expect(tokens.map((t) => [t.kind, t.pos, t.len])).toEqual([
      ['text', 0, 1],
      ['text', 1, 2],
      ['text', 3, 1],
      ['text', 4, 2],
      ['text', 6, 1],
      ['nl', 7, 4],
      ['text', 11, 1],
    ]);
    expect(printMulti(tokens)).toBe('A[[B]]C[nl]D');
  });

  it('reports each problem with its code and position, and keeps going', () => {
    const src = 'OK[xy12]A[jl7]B[cf300,0,0]C[nl';
    const { errors } = parseMulti(src);
    expect(errors.map((e) => [e.code, e.position, e.length])).toEqual([
      ['unsupportedTag', 2, 6],
      ['badTagValue', 9, 5],
      ['badTagValue', 15, 11],
      ['unclosedTag', 27, 1],
    ]);
  });

  it('flags a lone ], an out-of-range page time, a field beyond 13 and a malformed rectangle', () => {
    expect(parseMulti('a]b').errors.map((e) => [e.code, e.position])).toEqual([['unclosedTag', 1]]);
    expect(parseMulti('[pt999]').errors[0].code).toBe('badTagValue');
    expect(parseMulti('[f14]').errors[0].code).toBe('unsupportedTag');
    expect(parseMulti('[cr1,1,4]').errors[0].code).toBe('badTagValue');
    expect(parseMulti('[cr0,1,4,4,1]').errors[0].code).toBe('badTagValue');
    expect(parseMulti('[g1,1,1]').errors[0].code).toBe('unsupportedTag');
  });

  it('keeps a flash that starts dark distinct when printed', () => {
    const { tokens } = parseMulti('[flo]X[/fl]');
    expect(shape(parseMulti(printMulti(tokens)).tokens)).toEqual(shape(tokens));
  });
});
