import type { MultiColour, MultiToken } from './types.js';

/** Tokens back to a canonical MULTI string (lower-case tags, brackets in text doubled). */
export function printMulti(tokens: readonly MultiToken[]): string {
  return tokens.map(printToken).join('');
}

function colour(c: MultiColour | undefined): string {
  if (!c) return '';
  return 'classic' in c ? String(c.classic) : c.rgb.join(',');
}

const opt = (v: number | undefined): string => (v === undefined ? '' : String(v));

export function printToken(t: MultiToken): string {
  switch (t.kind) {
    case 'text':
      return t.text.replace(/\[/g, '[[').replace(/\]/g, ']]');
    case 'nl':
      return `[nl${opt(t.spacing)}]`;
    case 'np':
      return '[np]';
    case 'pt':
      return `[pt${opt(t.on)}${t.off === undefined ? '' : `o${t.off}`}]`;
    case 'jl':
    case 'jp':
      return `[${t.kind}${opt(t.value)}]`;
    case 'fo':
      return `[fo${opt(t.font)}${t.version ? `,${t.version}` : ''}]`;
    case 'cf':
    case 'pb':
    case 'cb':
      return `[${t.kind}${colour(t.colour)}]`;
    case 'cr':
      return `[cr${t.x},${t.y},${t.w},${t.h},${colour(t.colour)}]`;
    case 'tr':
      return `[tr${t.x},${t.y},${t.w},${t.h}]`;
    case 'sc':
      return `[sc${t.spacing}]`;
    case '/sc':
      return '[/sc]';
    case 'fl': {
      const on = t.on === undefined ? '' : `t${t.on}`;
      // starting dark must keep its leading 'o' even without a value
      const off = t.off === undefined ? (t.startOn ? '' : 'o') : `o${t.off}`;
      return `[fl${t.startOn ? on + off : off + on}]`;
    }
    case '/fl':
      return '[/fl]';
    case 'f':
      return `[f${t.field}${t.width === undefined ? '' : `,${t.width}`}]`;
    case 'hc':
      return `[hc${t.code.toString(16)}]`;
    case 'mv':
      return `[mv${t.mode}${t.mode === 'l' ? opt(t.repeat) : ''}${t.dir}${t.width},${t.step},${t.rate},${t.text}]`;
  }
}
