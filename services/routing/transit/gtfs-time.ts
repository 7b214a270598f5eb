/**
 * GTFS times and dates. A GTFS time is seconds since "noon minus 12 h" of the service day in the
 * agency's timezone, and may pass 24:00:00. Dates are kept as YYYYMMDD integers. Timezone
 * arithmetic uses Intl (no library): offsets are looked up per instant, so DST days are exact.
 */

/** "H:MM:SS" or "HH:MM:SS" (hours may exceed 23) -> seconds; -1 when empty; NaN when malformed */
export function parseGtfsTime(s: string): number {
  let i = 0;
  const n = s.length;
  while (i < n && s.charCodeAt(i) === 32) i++;
  if (i === n) return -1;
  let h = 0;
  let digits = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    h = h * 10 + (c - 48);
    i++;
    digits++;
  }
  if (digits === 0 || s.charCodeAt(i) !== 58) return NaN;
  i++;
  const m = two(s, i);
  if (s.charCodeAt(i + 2) !== 58) return NaN;
  const sec = two(s, i + 3);
  let end = i + 5;
  while (end < n && s.charCodeAt(end) === 32) end++;
  if (end !== n || m > 59 || sec > 59) return NaN;
  return h * 3600 + m * 60 + sec;
}

function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return NaN;
  return a * 10 + b;
}

export function formatGtfsTime(secs: number): string {
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** "20161101" -> 20161101; NaN when malformed */
export function parseGtfsDate(s: string): number {
  const t = s.trim();
  if (!/^\d{8}$/.test(t)) return NaN;
  const m = Number(t.slice(4, 6));
  const d = Number(t.slice(6, 8));
  if (m < 1 || m > 12 || d < 1 || d > 31) return NaN;
  return Number(t);
}

export function dateParts(date: number): [number, number, number] {
  return [Math.floor(date / 10000), Math.floor(date / 100) % 100, date % 100];
}

/** 0 = Monday .. 6 = Sunday */
export function weekday(date: number): number {
  const [y, m, d] = dateParts(date);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export function addDays(date: number, days: number): number {
  const [y, m, d] = dateParts(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.getUTCFullYear() * 10000 + (t.getUTCMonth() + 1) * 100 + t.getUTCDate();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimezone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** local wall-clock fields of an instant in a timezone */
export function localFields(epochMs: number, tz: string): { date: number; seconds: number; offsetMinutes: number } {
  const parts = formatter(tz).formatToParts(new Date(epochMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const y = get('year');
  const mo = get('month');
  const d = get('day');
  const h = get('hour');
  const mi = get('minute');
  const s = get('second');
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const offsetMinutes = Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
  return { date: y * 10000 + mo * 100 + d, seconds: h * 3600 + mi * 60 + s, offsetMinutes };
}

/** epoch ms of a local wall-clock time (date + seconds after local midnight) in a timezone */
export function localToEpoch(date: number, seconds: number, tz: string): number {
  const [y, m, d] = dateParts(date);
  const guess = Date.UTC(y, m - 1, d) + seconds * 1000;
  let epoch = guess - localFields(guess, tz).offsetMinutes * 60000;
  // second pass settles instants near a DST change
  epoch = guess - localFields(epoch, tz).offsetMinutes * 60000;
  return epoch;
}

/** epoch ms of the GTFS service-day origin: noon minus 12 h, local time */
export function serviceDayOrigin(date: number, tz: string): number {
  return localToEpoch(date, 12 * 3600, tz) - 12 * 3600 * 1000;
}

/** ISO 8601 with the local offset, e.g. 2016-11-01T08:03:00+01:00 */
export function isoLocal(epochMs: number, tz: string): string {
  const f = localFields(epochMs, tz);
  const [y, m, d] = dateParts(f.date);
  const sign = f.offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(f.offsetMinutes);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${y}-${p(m)}-${p(d)}T${formatGtfsTime(f.seconds)}${sign}${p(Math.floor(off / 60))}:${p(off % 60)}`;
}

/**
 * Parses "2016-11-01T08:00", "2016-11-01T08:00:00", with or without an offset/Z. Without an
 * offset the time is local to `tz`. Returns epoch ms, or NaN when malformed.
 */
export function parseIsoInZone(s: string, tz: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, sec, zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(sec ?? 0) > 59) return NaN;
  if (zone) return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec ?? '00'}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  return localToEpoch(Number(`${y}${mo}${d}`), Number(h) * 3600 + Number(mi) * 60 + Number(sec ?? 0), tz);
}
