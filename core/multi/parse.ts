import type { MultiColour, MultiError, MultiErrorCode, MultiToken } from './types.js';

/**
 * NTCIP 1203 MULTI parser. Scans the whole string and keeps going after a bad tag so that every
 * problem is reported with its position; the tokens it returns are the ones it understood.
 * Tag names are case-insensitive. Sign-specific checks (fonts, colours, size) belong to layout.
 */
export interface ParseResult {
  tokens: MultiToken[];
  errors: MultiError[];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type TagBody = DistributiveOmit<MultiToken, 'pos' | 'len'>;
type TagParse = TagBody | { error: MultiErrorCode; message: string };

const NUM = '(\\d{1,6})';
const COLOUR = '(\\d{1,6})(?:,(\\d{1,6}),(\\d{1,6}))?';

/** NTCIP tags this implementation knows of but does not render. */
const UNSUPPORTED_KNOWN = new Set(['g', 'ms', 'pe', 'ft']);

function bad(message: string): TagParse {
  return { error: 'badTagValue', message };
}

function num(s: string | undefined): number | undefined {
  return s === undefined || s === '' ? undefined : Number(s);
}

function inRange(v: number | undefined, lo: number, hi: number): boolean {
  return v === undefined || (v >= lo && v <= hi);
}

function colourOf(a: string | undefined, b: string | undefined, c: string | undefined): MultiColour | string {
  if (b === undefined) {
    const n = Number(a);
    return n <= 9 ? { classic: n } : `classic colour must be 0-9, got ${a}`;
  }
  const rgb = [Number(a), Number(b), Number(c)] as [number, number, number];
  return rgb.every((v) => v <= 255) ? { rgb } : `colour components must be 0-255, got ${a},${b},${c}`;
}

function parseTag(raw: string): TagParse {
  const body = raw.toLowerCase();
  let m: RegExpExecArray | null;
  if ((m = /^nl(\d{0,6})$/.exec(body))) {
    const spacing = num(m[1]);
    return inRange(spacing, 0, 255) ? { kind: 'nl', spacing } : bad(`line spacing must be 0-255, got ${m[1]}`);
  }
  if (body === 'np') return { kind: 'np' };
  if ((m = /^pt(\d{0,6})(?:o(\d{0,6}))?$/.exec(body))) {
    const on = num(m[1]);
    const off = num(m[2]);
    if (!inRange(on, 0, 255) || !inRange(off, 0, 255)) return bad('page times must be 0-255 tenths of a second');
    return { kind: 'pt', on, off };
  }
  if ((m = /^j([lp])(\d{0,6})$/.exec(body))) {
    const value = num(m[2]);
    if (value !== undefined && (value < 2 || value > 4)) {
      return bad(`${m[1] === 'l' ? 'line' : 'page'} justification must be 2, 3 or 4, got ${m[2]}`);
    }
    return m[1] === 'l' ? { kind: 'jl', value } : { kind: 'jp', value };
  }
  if ((m = /^fo(\d{0,6})(?:,([0-9a-f]{4}))?$/.exec(body))) {
    const font = num(m[1]);
    return inRange(font, 1, 255) ? { kind: 'fo', font, version: m[2] } : bad(`font number must be 1-255, got ${m[1]}`);
  }
  if ((m = /^(cf|pb|cb)(?:(\d{1,6})(?:,(\d{1,6}),(\d{1,6}))?)?$/.exec(body))) {
    const kind = m[1] as 'cf' | 'pb' | 'cb';
    if (m[2] === undefined) return { kind };
    const colour = colourOf(m[2], m[3], m[4]);
    return typeof colour === 'string' ? bad(colour) : { kind, colour };
  }
  if ((m = new RegExp(`^cr${NUM},${NUM},${NUM},${NUM},${COLOUR}$`).exec(body))) {
    const [x, y, w, h] = [1, 2, 3, 4].map((i) => Number(m![i]));
    if (x < 1 || y < 1) return bad('rectangle x and y start at 1');
    const colour = colourOf(m[5], m[6], m[7]);
    return typeof colour === 'string' ? bad(colour) : { kind: 'cr', x, y, w, h, colour };
  }
  if ((m = new RegExp(`^tr${NUM},${NUM},${NUM},${NUM}$`).exec(body))) {
    const [x, y, w, h] = [1, 2, 3, 4].map((i) => Number(m![i]));
    if (x < 1 || y < 1) return bad('rectangle x and y start at 1');
    return { kind: 'tr', x, y, w, h };
  }
  if ((m = /^sc(\d{1,6})$/.exec(body))) {
    const spacing = Number(m[1]);
    return spacing <= 99 ? { kind: 'sc', spacing } : bad(`character spacing must be 0-99, got ${m[1]}`);
  }
  if (body === '/sc') return { kind: '/sc' };
  if (body === '/fl') return { kind: '/fl' };
  if ((m = /^fl(?:t(\d{0,6})(?:o(\d{0,6}))?|o(\d{0,6})(?:t(\d{0,6}))?)?$/.exec(body))) {
    const startOn = m[3] === undefined;
    const on = num(startOn ? m[1] : m[4]);
    const off = num(startOn ? m[2] : m[3]);
    if (!inRange(on, 1, 99) || !inRange(off, 1, 99)) return bad('flash times must be 1-99 tenths of a second');
    return { kind: 'fl', on, off, startOn };
  }
  if ((m = /^f(\d{1,6})(?:,(\d{1,6}))?$/.exec(body))) {
    const field = Number(m[1]);
    const width = num(m[2]);
    if (field < 1 || field > 13) return { error: 'unsupportedTag', message: `field ${m[1]} is not supported (1-13 are)` };
    return inRange(width, 0, 99) ? { kind: 'f', field, width } : bad(`field width must be 0-99, got ${m[2]}`);
  }
  if ((m = /^hc(?:0x)?([0-9a-f]{1,6})$/.exec(body))) {
    const code = parseInt(m[1], 16);
    return code <= 0xffff ? { kind: 'hc', code } : bad(`character code must be at most ffff, got ${m[1]}`);
  }
  if ((m = /^mv(c|l)(\d{0,3})(l|r)(\d{1,6}),(\d{1,6}),(\d{1,6}),/.exec(body))) {
    const [width, step, rate] = [4, 5, 6].map((i) => Number(m![i]));
    if (m[1] === 'c' && m[2] !== '') return bad('circular moving text takes no repeat count');
    if (width < 1 || width > 9999) return bad('moving text window must be 1-9999 pixels');
    if (step < 1 || step > 255 || rate > 255) return bad('moving text step must be 1-255 pixels and rate 0-255 tenths');
    const text = raw.slice(m[0].length);
    return { kind: 'mv', mode: m[1] as 'c' | 'l', repeat: num(m[2]), dir: m[3] as 'l' | 'r', width, step, rate, text };
  }
  const name = /^\/?[a-z]*/.exec(body)?.[0] ?? '';
  const known = ['nl', 'np', 'pt', 'jl', 'jp', 'fo', 'cf', 'pb', 'cb', 'cr', 'tr', 'sc', '/sc', 'fl', '/fl', 'f', 'hc', 'mv'];
  if (known.includes(name) || (name === 'mvc' || name === 'mvl')) return bad(`malformed [${raw}]`);
  if (UNSUPPORTED_KNOWN.has(name)) return { error: 'unsupportedTag', message: `[${raw}] is not supported` };
  return { error: 'unsupportedTag', message: `unknown tag [${raw}]` };
}

export function parseMulti(source: string): ParseResult {
  const tokens: MultiToken[] = [];
  const errors: MultiError[] = [];
  let i = 0;
  let textStart = 0;
  const flushText = (end: number) => {
    if (end > textStart) tokens.push({ kind: 'text', text: source.slice(textStart, end), pos: textStart, len: end - textStart });
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '[' || c === ']') {
      flushText(i);
      if (source[i + 1] === c) {
        // [[ and ]] are literal brackets
        tokens.push({ kind: 'text', text: c, pos: i, len: 2 });
        i += 2;
      } else if (c === ']') {
        errors.push({ code: 'unclosedTag', message: `lone ] at ${i} (write ]] for a literal bracket)`, position: i, length: 1 });
        i += 1;
      } else {
        const close = source.indexOf(']', i + 1);
        const open = source.indexOf('[', i + 1);
        if (close < 0 || (open >= 0 && open < close)) {
          errors.push({ code: 'unclosedTag', message: `[ at ${i} is not closed (write [[ for a literal bracket)`, position: i, length: 1 });
          i += 1;
        } else {
          const raw = source.slice(i + 1, close);
          const parsed = parseTag(raw);
          if ('error' in parsed) errors.push({ code: parsed.error, message: parsed.message, position: i, length: close + 1 - i });
          else tokens.push({ ...parsed, pos: i, len: close + 1 - i } as MultiToken);
          i = close + 1;
        }
      }
      textStart = i;
    } else {
      i += 1;
    }
  }
  flushText(source.length);
  return { tokens, errors };
}
