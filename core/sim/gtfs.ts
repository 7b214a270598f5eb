import { zipSync, strToU8 } from 'fflate';
import type { SimBusLine, SimCity } from './types.js';

/** Public-transport feed of the simulated city as a GTFS zip (agency, stops, routes, trips, stop_times, calendar). */

export const GTFS_AGENCY = { id: 'SIM', name: 'Simville Transit', url: 'https://example.org/simville-transit', timezone: 'Etc/UTC' };
/** service validity of the calendar, wide enough for any test date */
export const GTFS_START_DATE = '20260101';
export const GTFS_END_DATE = '20281231';

export function gtfsTime(seconds: number): string {
  const s = Math.round(seconds);
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

function csv(rows: (string | number)[][]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** Departure times (seconds) of one line from its first stop for a service. */
export function departures(line: SimBusLine, service: 'weekday' | 'weekend'): number[] {
  const out: number[] = [];
  for (const p of line.headways) {
    if (p.service !== service) continue;
    for (let t = p.start; t < p.end; t += p.headwayMinutes * 60) out.push(t);
  }
  return out;
}

export function buildGtfsFiles(city: Pick<SimCity, 'busLines'>): Record<string, string> {
  const stops = new Map<string, { name: string; lat: number; lon: number }>();
  for (const l of city.busLines) for (const s of l.stops) if (!stops.has(s.id)) stops.set(s.id, { name: s.name, lat: s.lat, lon: s.lon });
  const stopRows: (string | number)[][] = [['stop_id', 'stop_name', 'stop_lat', 'stop_lon', 'location_type']];
  for (const [id, s] of stops) stopRows.push([id, s.name, s.lat.toFixed(7), s.lon.toFixed(7), 0]);

  const routeRows: (string | number)[][] = [['route_id', 'agency_id', 'route_short_name', 'route_long_name', 'route_type']];
  const tripRows: (string | number)[][] = [['route_id', 'service_id', 'trip_id', 'trip_headsign', 'direction_id']];
  const stRows: string[] = ['trip_id,arrival_time,departure_time,stop_id,stop_sequence'];
  for (const l of city.busLines) {
    routeRows.push([l.id, GTFS_AGENCY.id, l.shortName, l.longName, 3]);
    for (const dir of [0, 1] as const) {
      const seq = dir === 0 ? l.stops : l.stops.slice().reverse();
      const seg = dir === 0 ? l.segmentSeconds : l.segmentSeconds.slice().reverse();
      const headsign = seq[seq.length - 1].name;
      for (const service of ['weekday', 'weekend'] as const) {
        for (const dep of departures(l, service)) {
          const tripId = `${l.id}-${dir}-${service === 'weekday' ? 'WK' : 'WE'}-${gtfsTime(dep).slice(0, 5).replace(':', '')}`;
          tripRows.push([l.id, service === 'weekday' ? 'WK' : 'WE', tripId, headsign, dir]);
          let t = dep;
          for (let i = 0; i < seq.length; i++) {
            if (i > 0) t += seg[i - 1];
            // first stop: departs at once; later stops: dwell between arrival and departure
            const arr = t;
            const depAt = i === 0 || i === seq.length - 1 ? t : t + l.dwellSeconds;
            stRows.push(`${tripId},${gtfsTime(arr)},${gtfsTime(depAt)},${seq[i].id},${i + 1}`);
            t = depAt;
          }
        }
      }
    }
  }
  return {
    'agency.txt': csv([
      ['agency_id', 'agency_name', 'agency_url', 'agency_timezone', 'agency_lang'],
      [GTFS_AGENCY.id, GTFS_AGENCY.name, GTFS_AGENCY.url, GTFS_AGENCY.timezone, 'en'],
    ]),
    'stops.txt': csv(stopRows),
    'routes.txt': csv(routeRows),
    'trips.txt': csv(tripRows),
    'stop_times.txt': stRows.join('\n') + '\n',
    'calendar.txt': csv([
      ['service_id', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'start_date', 'end_date'],
      ['WK', 1, 1, 1, 1, 1, 0, 0, GTFS_START_DATE, GTFS_END_DATE],
      ['WE', 0, 0, 0, 0, 0, 1, 1, GTFS_START_DATE, GTFS_END_DATE],
    ]),
  };
}

/** The GTFS zip bytes; the same city always gives the same bytes (fixed file times). */
export function buildGtfsZip(city: Pick<SimCity, 'busLines'>): Uint8Array {
  const files = buildGtfsFiles(city);
  const zippable: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(files)) zippable[name] = strToU8(text);
  // a local-time date: fflate writes DOS times from local fields, so this is the same in every time zone
  return zipSync(zippable, { level: 6, mtime: new Date(2026, 0, 1, 0, 0, 0) });
}
