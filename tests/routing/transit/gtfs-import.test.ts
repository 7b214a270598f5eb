import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGtfsZip } from '../../../services/routing/transit/index.js';
import { isUrbanflowError } from '../../../core/errors/index.js';
import { gtfsZip, TINY } from './tiny-feed.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function errorOf(fn: () => unknown): { code: string; message: string; field?: string } {
  try {
    fn();
  } catch (e) {
    if (isUrbanflowError(e)) return { code: String(e.code), message: e.message, field: e.field };
    throw e;
  }
  throw new Error('expected an error');
}

describe('GTFS import: real-world quirks', () => {
  it('reads BOM, CRLF, spaced headers, quoted commas, files in a sub-folder and no calendar.txt', () => {
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    const files: Record<string, string> = {};
    for (const [name, text] of Object.entries(TINY)) {
      if (name === 'calendar.txt') continue;
      files[`feed/${name}`] = crlf(text);
    }
    files['feed/stops.txt'] = '\ufeff' + crlf(TINY['stops.txt'].replace('stop_id,stop_name,stop_lat,stop_lon', ' stop_id , stop_name ,stop_lat , stop_lon'));
    files['feed/calendar_dates.txt'] = crlf('service_id,date,exception_type\nWK,20161102,1\nHOL,20161101,1\n');
    const feed = loadGtfsZip(gtfsZip(files));
    expect(feed.stopIds).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(feed.stopNames[2]).toBe('Gamma, Platz');
    expect(feed.stopLat[0]).toBeCloseTo(49.48, 6);
    expect(feed.timezone).toBe('Europe/Berlin');
    expect(feed.notes).toContain('calendar.txt absent');
    expect(feed.notes).toContain('frequencies.txt absent');
    expect(feed.notes).toContain('transfers.txt absent');
    expect(feed.tripIds).toContain('night');
    expect(Array.from(feed.routeTypes)).toEqual([900, 704, 3, 3]);
  });

  it('keeps times past 24:00 as seconds after the service-day origin, in stop_sequence order', () => {
    const shuffled = { ...TINY, 'stop_times.txt': TINY['stop_times.txt'].split('\n').filter(Boolean).map((l, i, a) => (i === 0 ? l : a[a.length - i])).join('\n') };
    const feed = loadGtfsZip(gtfsZip(shuffled));
    const t = feed.tripIds.indexOf('night');
    const s = feed.tripStopOffsets[t];
    expect(Array.from(feed.stSequence.subarray(s, s + 3))).toEqual([1, 2, 3]);
    expect(Array.from(feed.stArrival.subarray(s, s + 3))).toEqual([23 * 3600 + 50 * 60, 24 * 3600 + 5 * 60, 24 * 3600 + 20 * 60]);
  });

  it('interpolates untimed intermediate stops', () => {
    const st = TINY['stop_times.txt'].replace('r1a,07:05:00,07:05:00,B,2', 'r1a,,,B,2');
    const feed = loadGtfsZip(gtfsZip({ ...TINY, 'stop_times.txt': st }));
    const s = feed.tripStopOffsets[feed.tripIds.indexOf('r1a')];
    expect(feed.stArrival[s + 1]).toBe(7 * 3600 + 5 * 60);
  });

  it('expands frequencies.txt into one trip per departure', () => {
    const feed = loadGtfsZip(gtfsZip({ ...TINY, 'frequencies.txt': 'trip_id,start_time,end_time,headway_secs\nr2a,07:00:00,08:00:00,900\n' }));
    const expanded = feed.tripIds.filter((id) => id.startsWith('r2a@'));
    expect(expanded).toEqual(['r2a@07:00:00', 'r2a@07:15:00', 'r2a@07:30:00', 'r2a@07:45:00']);
    const t = feed.tripIds.indexOf('r2a@07:15:00');
    expect(feed.stDeparture[feed.tripStopOffsets[t]]).toBe(7 * 3600 + 15 * 60);
    expect(feed.stArrival[feed.tripStopOffsets[t] + 1]).toBe(7 * 3600 + 19 * 60);
    expect(feed.tripBaseIds[t]).toBe('r2a');
  });
});

describe('GTFS import: broken input is a clear INVALID_FILE error', () => {
  it('names file, line and id of an unknown stop_id in stop_times.txt', () => {
    const st = TINY['stop_times.txt'].replace('r1b,07:25:00,07:25:00,B,2', 'r1b,07:25:00,07:25:00,X,2');
    const e = errorOf(() => loadGtfsZip(gtfsZip({ ...TINY, 'stop_times.txt': st })));
    expect(e.code).toBe('INVALID_FILE');
    expect(e.message).toBe("stop_times.txt line 6: unknown stop_id 'X'");
    expect(e.field).toBe('stop_times.txt');
  });

  it('names unknown trips, routes, services and parent stations', () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'stop_times.txt': TINY['stop_times.txt'] + 'ghost,08:00:00,08:00:00,A,1\n' }, "stop_times.txt line 20: unknown trip_id 'ghost'"],
      [{ 'trips.txt': TINY['trips.txt'].replace('R2,WK,r2a', 'R9,WK,r2a') }, "trips.txt line 4: unknown route_id 'R9'"],
      [{ 'trips.txt': TINY['trips.txt'].replace('R3,WK,r3a', 'R3,XX,r3a') }, "trips.txt line 6: unknown service_id 'XX'"],
      [{ 'stops.txt': 'stop_id,stop_name,stop_lat,stop_lon,parent_station\nA,Alpha,49.48,8.46,P\n' }, "stops.txt line 2: unknown parent_station 'P'"],
      [{ 'stop_times.txt': TINY['stop_times.txt'].replace('r1a,07:10:00,07:10:00,C,3', 'r1a,07:1O:00,07:10:00,C,3') }, "stop_times.txt line 4: bad arrival_time '07:1O:00'"],
      [{ 'stops.txt': TINY['stops.txt'].replace('Beta,49.4900', 'Beta,north') }, "stops.txt line 3: stop 'B': bad stop_lat 'north'"],
      [{ 'agency.txt': 'agency_id,agency_name,agency_url,agency_timezone\nT,Tiny,http://x,Mars/Olympus\n' }, "agency.txt line 2: unknown agency_timezone 'Mars/Olympus'"],
    ];
    for (const [patch, message] of cases) {
      const e = errorOf(() => loadGtfsZip(gtfsZip({ ...TINY, ...patch })));
      expect(e.code).toBe('INVALID_FILE');
      expect(e.message).toBe(message);
    }
  });

  it('reports a missing required file and a missing required column', () => {
    const { 'stops.txt': _stops, ...noStops } = TINY;
    expect(errorOf(() => loadGtfsZip(gtfsZip(noStops))).message).toBe('GTFS: required file stops.txt is missing');
    const e = errorOf(() => loadGtfsZip(gtfsZip({ ...TINY, 'routes.txt': 'route_id,route_short_name\nR1,1\n' })));
    expect(e.message).toBe("routes.txt line 1: missing required column 'route_type'");
  });

  it('rejects bytes that are not a zip', () => {
    const e = errorOf(() => loadGtfsZip(new TextEncoder().encode('hello, not a zip')));
    expect(e.code).toBe('INVALID_FILE');
    expect(e.message).toMatch(/not a readable zip/);
  });
});

describe('GTFS import: the real rnv feed', () => {
  it('loads every stop, route, trip and stop time with extended route types', () => {
    const feed = loadGtfsZip(readFileSync(join(ROOT, 'fixtures/gtfs/rnv-gtfs-2016.zip')));
    expect(feed.stopIds.length).toBe(2057);
    expect(feed.routeIds.length).toBe(100);
    expect(feed.tripIds.length).toBe(20636);
    expect(feed.stStop.length).toBe(424266);
    expect(feed.timezone).toBe('Europe/Berlin');
    const types = new Map<number, number>();
    for (const t of feed.routeTypes) types.set(t, (types.get(t) ?? 0) + 1);
    expect(Object.fromEntries(types)).toEqual({ 704: 69, 900: 19, 3: 12 });
    expect(feed.firstDate).toBe(20161022);
    expect(feed.lastDate).toBe(20161210);
    // within every trip times never go back
    for (let t = 0; t < feed.tripIds.length; t++) {
      for (let i = feed.tripStopOffsets[t] + 1; i < feed.tripStopOffsets[t + 1]; i++) {
        if (feed.stArrival[i] < feed.stDeparture[i - 1]) throw new Error(`trip ${feed.tripIds[t]} goes back in time`);
      }
    }
  });
});

describe('GTFS times and timezones', () => {
  it('counts service-day times from noon minus 12 h, exact across the DST change', async () => {
    const { serviceDayOrigin, parseIsoInZone, isoLocal } = await import('../../../services/routing/transit/index.js');
    const tz = 'Europe/Berlin';
    // an ordinary day: origin is local midnight
    expect(new Date(serviceDayOrigin(20161108, tz)).toISOString()).toBe('2016-11-07T23:00:00.000Z');
    // 30 Oct 2016, clocks go back at 03:00 CEST: noon is 11:00 UTC, so the origin is 23:00 UTC the day before
    const origin = serviceDayOrigin(20161030, tz);
    expect(new Date(origin).toISOString()).toBe('2016-10-29T23:00:00.000Z');
    // GTFS 08:00:00 that day is 08:00 CET
    expect(isoLocal(origin + 8 * 3600 * 1000, tz)).toBe('2016-10-30T08:00:00+01:00');
    expect(parseIsoInZone('2016-10-30T08:00', tz)).toBe(Date.parse('2016-10-30T07:00:00Z'));
    expect(parseIsoInZone('2016-07-01T08:00', tz)).toBe(Date.parse('2016-07-01T06:00:00Z'));
    expect(parseIsoInZone('2016-07-01T08:00:00Z', tz)).toBe(Date.parse('2016-07-01T08:00:00Z'));
    expect(parseIsoInZone('2016-07-01T08:00+05:30', tz)).toBe(Date.parse('2016-07-01T02:30:00Z'));
    expect(Number.isNaN(parseIsoInZone('2016-02-01T24:10', tz))).toBe(true);
    expect(isoLocal(Date.parse('2016-12-29T17:39:24Z'), 'America/Los_Angeles')).toBe('2016-12-29T09:39:24-08:00');
  });
});
