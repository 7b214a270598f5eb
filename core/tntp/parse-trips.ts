import { invalidFile } from '../errors/index.js';
import { fieldNumber, metaNumber, readTntpHeader } from './tntp-metadata.js';

export interface TntpTrips {
  fileName: string;
  zones: number;
  /** the file's <TOTAL OD FLOW> (checked against the sum of the entries to 1e-6 relative) */
  totalFlow: number;
  /** row-major zones x zones, od[(o-1)*zones + (d-1)] = trips from zone o to zone d */
  od: Float64Array;
  entries: Record<string, string>;
}

/**
 * A TNTP `_trips.tntp` file: `Origin o` blocks followed by `d : flow;` pairs.
 * Zones outside 1..zones, malformed numbers and a total that does not match are INVALID_FILE.
 */
export function parseTntpTrips(text: string, fileName: string): TntpTrips {
  const h = readTntpHeader(text, fileName);
  const zones = metaNumber(h, 'NUMBER OF ZONES', fileName, { integer: true });
  const totalFlow = metaNumber(h, 'TOTAL OD FLOW', fileName);
  const od = new Float64Array(zones * zones);
  let origin = -1;
  let sum = 0;
  for (const { line, text: raw } of h.body) {
    const t = raw.trim();
    const om = /^origin\s+(\S+)\s*$/i.exec(t);
    if (om) {
      const o = fieldNumber(om[1], fileName, line, 'origin');
      if (!Number.isInteger(o) || o < 1 || o > zones) throw invalidFile(fileName, `line ${line}: origin ${om[1]} is not a zone in 1..${zones}`, { line, column: 'origin' });
      origin = o - 1;
      continue;
    }
    if (origin < 0) throw invalidFile(fileName, `line ${line}: destination entries before the first 'Origin' line`, { line });
    for (const part of t.split(';')) {
      const p = part.trim();
      if (p === '') continue;
      const m = /^(\S+)\s*:\s*(\S+)$/.exec(p);
      if (!m) throw invalidFile(fileName, `line ${line}: expected 'destination : flow;', got '${p}'`, { line });
      const d = fieldNumber(m[1], fileName, line, 'destination');
      const v = fieldNumber(m[2], fileName, line, 'flow');
      if (!Number.isInteger(d) || d < 1 || d > zones) throw invalidFile(fileName, `line ${line}: destination ${m[1]} is not a zone in 1..${zones}`, { line, column: 'destination' });
      if (v < 0) throw invalidFile(fileName, `line ${line}: negative flow ${v}`, { line, column: 'flow' });
      od[origin * zones + d - 1] += v;
      sum += v;
    }
  }
  if (Math.abs(sum - totalFlow) > 1e-6 * Math.max(1, totalFlow)) {
    throw invalidFile(fileName, `line ${h.lineOf.get('TOTAL OD FLOW')}: <TOTAL OD FLOW> says ${totalFlow} but the entries sum to ${sum}`, {
      line: h.lineOf.get('TOTAL OD FLOW'),
    });
  }
  return { fileName, zones, totalFlow, od, entries: Object.fromEntries(h.entries) };
}

/** The non-zero OD pairs as 1-based (origin, destination, trips) triples. */
export function tripsToTriples(trips: TntpTrips): { origin: number; destination: number; trips: number }[] {
  const out: { origin: number; destination: number; trips: number }[] = [];
  const z = trips.zones;
  for (let o = 0; o < z; o++) for (let d = 0; d < z; d++) if (trips.od[o * z + d] > 0) out.push({ origin: o + 1, destination: d + 1, trips: trips.od[o * z + d] });
  return out;
}
