import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { generateCity, buildGtfsZip } from '../../core/sim/index.js';
import { MODE } from '../../core/graph/modes.js';

const city = generateCity({ size: 2000, seed: 1 });
const zip = buildGtfsZip(city);

/** Minimal CSV reader for the test (quoted fields allowed). */
function table(files: Record<string, Uint8Array>, name: string): Record<string, string>[] {
  expect(files[name], `${name} present`).toBeDefined();
  const lines = strFromU8(files[name]).split('\n').filter((l) => l.length > 0);
  const split = (line: string) => {
    const out: string[] = [];
    let cur = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (q) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') q = false; else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]);
  const rows = lines.slice(1).map((l) => split(l));
  expect(rows.filter((r) => r.length !== header.length).length, `${name}: rows with a wrong number of cells`).toBe(0);
  return rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
}
const secs = (t: string) => {
  const [h, m, s] = t.split(':').map(Number);
  return h * 3600 + m * 60 + s;
};

describe('generateCity: bus lines and GTFS', () => {
  it('runs bus lines along arterials with stops on their road nodes', () => {
    expect(city.busLines.length).toBeGreaterThan(2);
    const d = city.network.data;
    for (const l of city.busLines) {
      expect(l.stops.length).toBeGreaterThanOrEqual(2);
      expect(l.segmentSeconds.length).toBe(l.stops.length - 1);
      for (const s of l.stops) {
        expect(s.lon).toBe(d.nodeLon[s.node]);
        expect(s.lat).toBe(d.nodeLat[s.node]);
      }
      // the edges of each direction form a connected car path from the first stop to the last
      for (const [dir, edges] of l.edges.entries()) {
        const first = dir === 0 ? l.stops[0].node : l.stops[l.stops.length - 1].node;
        const last = dir === 0 ? l.stops[l.stops.length - 1].node : l.stops[0].node;
        expect(d.edgeFrom[edges[0]]).toBe(first);
        expect(d.edgeTo[edges[edges.length - 1]]).toBe(last);
        for (let i = 0; i < edges.length; i++) {
          expect(d.edgeModes[edges[i]] & MODE.car).toBeTruthy();
          expect(['primary', 'secondary']).toContain(city.network.roadClass(edges[i]));
          if (i > 0) expect(d.edgeFrom[edges[i]]).toBe(d.edgeTo[edges[i - 1]]);
        }
      }
    }
  });

  it('writes a GTFS zip with every required file and intact references', () => {
    const files = unzipSync(zip);
    const agency = table(files, 'agency.txt');
    const stops = table(files, 'stops.txt');
    const routes = table(files, 'routes.txt');
    const trips = table(files, 'trips.txt');
    const stopTimes = table(files, 'stop_times.txt');
    const calendar = table(files, 'calendar.txt');
    expect(agency.length).toBe(1);
    expect(agency[0].agency_timezone).toBeTruthy();
    const stopIds = new Set(stops.map((s) => s.stop_id));
    expect(stopIds.size).toBe(stops.length);
    for (const s of stops) {
      expect(Math.abs(Number(s.stop_lat) - 45)).toBeLessThan(0.5);
      expect(Math.abs(Number(s.stop_lon))).toBeLessThan(0.5);
    }
    const routeIds = new Set(routes.map((r) => r.route_id));
    expect(routes.every((r) => r.route_type === '3' && r.agency_id === agency[0].agency_id)).toBe(true);
    const services = new Set(calendar.map((c) => c.service_id));
    // service all week: every weekday column is 1 in some calendar row
    for (const day of ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']) expect(calendar.some((c) => c[day] === '1'), day).toBe(true);
    const tripIds = new Set<string>();
    for (const t of trips) {
      expect(routeIds.has(t.route_id)).toBe(true);
      expect(services.has(t.service_id)).toBe(true);
      expect(tripIds.has(t.trip_id)).toBe(false);
      tripIds.add(t.trip_id);
    }
    // every stop_time's trip and stop exist; times never go back and the sequence grows along each trip
    // (problems are collected, not asserted row by row: there are tens of thousands of rows)
    const problems: string[] = [];
    const last = new Map<string, { seq: number; time: number }>();
    const perTrip = new Map<string, number>();
    for (const st of stopTimes) {
      if (!tripIds.has(st.trip_id)) problems.push(`unknown trip ${st.trip_id}`);
      if (!stopIds.has(st.stop_id)) problems.push(`unknown stop ${st.stop_id}`);
      const arr = secs(st.arrival_time), dep = secs(st.departure_time);
      if (dep < arr) problems.push(`${st.trip_id}: departs before it arrives`);
      const prev = last.get(st.trip_id);
      if (prev) {
        if (Number(st.stop_sequence) <= prev.seq) problems.push(`${st.trip_id}: stop_sequence does not grow`);
        if (arr <= prev.time) problems.push(`${st.trip_id}: time does not grow at sequence ${st.stop_sequence}`);
      }
      last.set(st.trip_id, { seq: Number(st.stop_sequence), time: dep });
      perTrip.set(st.trip_id, (perTrip.get(st.trip_id) ?? 0) + 1);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    for (const id of tripIds) expect(perTrip.get(id) ?? 0).toBeGreaterThanOrEqual(2);
    // every route has trips in both directions on both services
    for (const r of routeIds) {
      const rt = trips.filter((t) => t.route_id === r);
      expect(new Set(rt.map((t) => t.direction_id))).toEqual(new Set(['0', '1']));
      expect(new Set(rt.map((t) => t.service_id))).toEqual(services);
    }
  });

  it('runs more often in the peaks than in the evening', () => {
    const files = unzipSync(zip);
    const trips = table(files, 'trips.txt').filter((t) => t.route_id === city.busLines[0].id && t.direction_id === '0' && t.service_id === 'WK');
    const stopTimes = table(files, 'stop_times.txt');
    const firstDep = new Map<string, number>();
    for (const st of stopTimes) if (st.stop_sequence === '1') firstDep.set(st.trip_id, secs(st.departure_time));
    const deps = trips.map((t) => firstDep.get(t.trip_id)!);
    const inWindow = (a: number, b: number) => deps.filter((x) => x >= a * 3600 && x < b * 3600).length;
    expect(inWindow(7, 8)).toBeGreaterThan(inWindow(19, 20));
    expect(inWindow(19, 20)).toBeGreaterThan(0);
  });

  it('is the same zip, byte for byte, every time', () => {
    expect(Buffer.from(buildGtfsZip(generateCity({ size: 2000, seed: 1 }))).equals(Buffer.from(zip))).toBe(true);
  });
});
