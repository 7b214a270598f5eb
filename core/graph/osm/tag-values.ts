/**
 * Parsers for OSM tag values (maxspeed, maxweight, maxheight, lanes). Each returns undefined
 * for a value it does not understand, so the caller falls back to the road-class default.
 */

/** Implicit maxspeed values ("DE:urban") in km/h; undefined = no limit (use the class default). */
const IMPLICIT_MAXSPEED: Record<string, number | undefined> = {
  'DE:urban': 50, 'DE:rural': 100, 'DE:motorway': undefined, 'DE:living_street': 7, 'DE:walk': 7,
  'DE:zone30': 30, 'DE:zone:30': 30, 'DE:zone20': 20, 'DE:zone:20': 20, 'DE:bicycle_road': 30,
  'AT:urban': 50, 'AT:rural': 100, 'AT:motorway': 130, 'AT:trunk': 100,
  'CH:urban': 50, 'CH:rural': 80, 'CH:trunk': 100, 'CH:motorway': 120,
  'FR:urban': 50, 'FR:rural': 80, 'FR:motorway': 130, 'FR:zone30': 30,
  'NL:urban': 50, 'NL:rural': 80, 'NL:motorway': 130,
  'BE:urban': 50, 'BE:rural': 70, 'BE:motorway': 120,
  'DK:urban': 50, 'DK:rural': 80, 'DK:motorway': 130,
  'IT:urban': 50, 'IT:rural': 90, 'IT:motorway': 130,
  'PL:urban': 50, 'PL:rural': 90, 'PL:motorway': 140,
  'GB:nsl_single': 96.56, 'GB:nsl_dual': 112.65, 'GB:motorway': 112.65,
};

const MPH = 1.609344;
const KNOT = 1.852;

/**
 * maxspeed in km/h. Understands "50", "50 km/h", "30 mph", "10 knots", "walk" (7, German
 * Schrittgeschwindigkeit), "DE:urban"-style implicit values, and "a;b" (the lower one).
 * "none" and "signals"/"variable" give undefined: no posted limit, the caller uses its default.
 */
export function parseMaxspeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  if (v.includes(';')) {
    const parts = v.split(';').map(parseMaxspeed).filter((x): x is number => x !== undefined);
    return parts.length ? Math.min(...parts) : undefined;
  }
  if (v === 'walk' || v === 'Walk') return 7;
  if (v === 'none' || v === 'signals' || v === 'variable' || v === 'unposted') return undefined;
  if (v in IMPLICIT_MAXSPEED) return IMPLICIT_MAXSPEED[v];
  const m = /^(\d+(?:[.,]\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/i.exec(v);
  if (m) {
    const n = Number(m[1].replace(',', '.'));
    if (!(n > 0)) return undefined;
    const unit = (m[2] ?? 'km/h').toLowerCase();
    if (unit === 'mph') return n * MPH;
    if (unit === 'knots') return n * KNOT;
    return n;
  }
  // other "XX:urban" / "XX:rural" zones we have no table row for
  if (/^[A-Z]{2}:urban$/.test(v)) return 50;
  if (/^[A-Z]{2}:rural$/.test(v)) return 90;
  if (/^[A-Z]{2}:(zone:?)?30$/.test(v)) return 30;
  return undefined;
}

/** True when maxspeed explicitly says there is no limit (German Autobahn). */
export function isNoSpeedLimit(value: string | undefined): boolean {
  return value !== undefined && (value.trim() === 'none' || value.trim() === 'DE:motorway');
}

/** maxweight in tonnes: "7.5", "7.5 t", "3500 kg", "10 st" (short tons); undefined if unknown. */
export function parseMaxweight(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:[.,]\d+)?)\s*(t|kg|st|lbs)?$/i.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1].replace(',', '.'));
  if (!(n > 0)) return undefined;
  const unit = (m[2] ?? 't').toLowerCase();
  if (unit === 'kg') return n / 1000;
  if (unit === 'st') return n * 0.90718474;
  if (unit === 'lbs') return n * 0.00045359237;
  return n;
}

/** maxheight in metres: "4.5", "3.1 m", "4'6\"", "14 ft"; "default"/"none" give undefined. */
export function parseMaxheight(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  const feet = /^(\d+)\s*'\s*(?:(\d+(?:\.\d+)?)\s*")?$/.exec(v);
  if (feet) return Number(feet[1]) * 0.3048 + Number(feet[2] ?? 0) * 0.0254;
  const m = /^(\d+(?:[.,]\d+)?)\s*(m|ft|cm)?$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1].replace(',', '.'));
  if (!(n > 0)) return undefined;
  const unit = (m[2] ?? 'm').toLowerCase();
  if (unit === 'ft') return n * 0.3048;
  if (unit === 'cm') return n / 100;
  // a bare "30" on a road is a mistyped weight or an impossible height; no real clearance exceeds 15 m
  return n > 15 ? undefined : n;
}

/** A lane count ("2", "1.5"); undefined for nonsense or zero. */
export function parseLanes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim().replace(',', '.'));
  return Number.isFinite(n) && n > 0 && n < 20 ? n : undefined;
}
