import { BUILTIN_FONTS, validateMulti, type SignFace } from '../../core/multi/index.js';

/**
 * Machine-written messages (travel times, incidents, congestion). Each composer offers several
 * layouts from richest to barest and keeps the first one the sign can show, so a small sign
 * still gets a message and nothing invalid ever reaches a sign.
 */

/** Upper case, only characters the sign's fonts have, brackets escaped. */
export function signText(s: string): string {
  const font = BUILTIN_FONTS.get(1)!;
  let out = '';
  for (const ch of s.toUpperCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')) {
    const c = ch === '\u00df' ? 'SS' : ch;
    for (const x of c) if (font.glyphs.has(x.charCodeAt(0))) out += x === '[' ? '[[' : x === ']' ? ']]' : x;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** First candidate that is valid on the face, or undefined. */
export function firstFitting(candidates: string[], face: SignFace): string | undefined {
  return candidates.find((m) => m.length > 0 && validateMulti(m, face).length === 0);
}

/** Lines packed into pages of as many lines as fit, within maxPages. */
export function pack(lines: string[], face: SignFace, pageOpts = ''): string | undefined {
  const pages: string[][] = [];
  for (const line of lines) {
    const cur = pages[pages.length - 1];
    if (cur && validateMulti(pageOpts + [...cur, line].join('[nl]'), face).length === 0) cur.push(line);
    else if (validateMulti(line, face).length === 0) pages.push([line]);
    else return undefined;
  }
  if (pages.length === 0 || pages.length > (face.maxPages ?? 6)) return undefined;
  return pageOpts + pages.map((p) => p.join('[nl]')).join('[np]');
}

export interface TravelTimeLine {
  name: string;
  minutes: number | undefined;
}

/** `CITY CENTRE 12 MIN` lines (name left, time right), capped: OVER n MIN or left out. */
export function travelTimeMessage(lines: TravelTimeLine[], capMinutes: number, overCap: 'over' | 'silent', face: SignFace): string | undefined {
  const rows: { name: string; time: string }[] = [];
  for (const l of lines) {
    if (l.minutes === undefined || !Number.isFinite(l.minutes)) continue;
    const m = Math.max(1, Math.round(l.minutes));
    if (m > capMinutes) {
      if (overCap === 'silent') continue;
      rows.push({ name: signText(l.name), time: `OVER ${capMinutes} MIN` });
    } else rows.push({ name: signText(l.name), time: `${m} MIN` });
  }
  if (rows.length === 0) return undefined;
  const justified = rows.map((r) => `[jl2]${r.name}[jl4]${r.time}`);
  const plain = rows.map((r) => `${r.name} ${r.time}`);
  const stacked = rows.map((r) => `${r.name}[nl]${r.time}`);
  return pack(justified, face) ?? pack(plain, face) ?? firstFitting([stacked.join('[np]')], face);
}

export interface IncidentText {
  kind: string;
  severity: number;
  closed: boolean;
  road: string;
  metres: number;
  description?: string;
}

const KIND_WORDS: Record<string, string> = {
  accident: 'ACCIDENT',
  crash: 'ACCIDENT',
  collision: 'ACCIDENT',
  roadworks: 'ROAD WORKS',
  works: 'ROAD WORKS',
  breakdown: 'BROKEN DOWN VEHICLE',
  hazard: 'HAZARD',
  closure: 'ROAD CLOSED',
  congestion: 'CONGESTION',
  weather: 'WEATHER',
  event: 'EVENT',
};

function distanceText(m: number): string {
  if (m < 150) return 'AHEAD';
  if (m < 1000) return `IN ${Math.round(m / 100) * 100} M`;
  return `IN ${Math.round(m / 1000)} KM`;
}

/** what / where / advice, on one page if it fits, else a page each, else the gist. */
export function incidentMessage(i: IncidentText, face: SignFace): string | undefined {
  const what = signText(KIND_WORDS[i.kind.toLowerCase()] ?? i.kind) || 'INCIDENT';
  const where = signText(`${i.road ? `${i.road} ` : ''}${distanceText(i.metres)}`);
  const advice = i.closed ? 'ROAD CLOSED' : i.severity >= 4 ? 'USE DIVERSION' : i.severity >= 2 ? 'EXPECT DELAYS' : 'DRIVE CAREFULLY';
  const whereShort = distanceText(i.metres);
  return firstFitting(
    [
      `${what}[nl]${where}[nl]${advice}`,
      `${what}[nl]${whereShort}[nl]${advice}`,
      `${what}[nl]${where}[np]${advice}`,
      `${what}[np]${where}[np]${advice}`,
      `${what}[np]${whereShort}[np]${advice}`,
      `${what}[nl]${advice}`,
      `${what}[np]${advice}`,
      what,
      'INCIDENT',
      '[fl]!',
    ],
    face,
  );
}

export function congestionMessage(metres: number, face: SignFace): string | undefined {
  const where = distanceText(metres);
  return firstFitting([`QUEUE ${where}[nl]SLOW DOWN`, `QUEUE[nl]${where}`, `QUEUE ${where}`, 'QUEUE[np]' + where, 'QUEUE', 'JAM'], face);
}
