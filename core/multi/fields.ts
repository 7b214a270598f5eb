import type { FieldValues } from './types.js';

/**
 * Text of a [f] field: 1 12-hour time, 2 24-hour time, 3 temperature C, 4 temperature F,
 * 5 speed km/h, 6 speed mph, 7 day of week, 8 day of month, 9 month, 10 two-digit year,
 * 11 four-digit year, 12 12-hour time with AM/PM, 13 the same in lower case.
 * Missing values give dashes so the sign never shows a stale or made-up number.
 */
export function fieldText(field: number, width: number | undefined, v: FieldValues): string {
  const text = rawField(field, v);
  return width && text.length < width ? text.padStart(width, ' ') : text;
}

function parts(now: number, timeZone: string): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  });
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(new Date(now))) out[p.type] = p.value;
  return out;
}

function rawField(field: number, v: FieldValues): string {
  const round = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '--' : String(Math.round(x)));
  switch (field) {
    case 3:
      return round(v.temperatureC);
    case 4:
      return round(v.temperatureC === undefined ? undefined : (v.temperatureC * 9) / 5 + 32);
    case 5:
      return round(v.speedKmh);
    case 6:
      return round(v.speedKmh === undefined ? undefined : v.speedKmh / 1.609344);
  }
  if (v.now === undefined || !Number.isFinite(v.now)) return field >= 7 && field <= 11 ? '--' : '--:--';
  let p: Record<string, string>;
  try {
    p = parts(v.now, v.timeZone ?? 'UTC');
  } catch {
    p = parts(v.now, 'UTC');
  }
  const h24 = Number(p.hour) % 24;
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  const ampm = h24 < 12 ? 'AM' : 'PM';
  switch (field) {
    case 1:
      return `${h12}:${p.minute}`;
    case 2:
      return `${String(h24).padStart(2, '0')}:${p.minute}`;
    case 7:
      return (p.weekday ?? '').toUpperCase();
    case 8:
      return p.day;
    case 9:
      return p.month;
    case 10:
      return p.year.slice(-2);
    case 11:
      return p.year;
    case 12:
      return `${h12}:${p.minute}${ampm}`;
    default:
      return `${h12}:${p.minute}${ampm.toLowerCase()}`;
  }
}
