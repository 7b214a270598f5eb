import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGtfsZip, createTransitPlanner, straightLineFootpaths, type TransitPlanner } from '../../../services/routing/transit/index.js';
import { gtfsZip, TINY } from './tiny-feed.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const NO_TIME = 0x7fffffff;

function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('RAPTOR on a hand-made feed', () => {
  const planner = createTransitPlanner({ feed: loadGtfsZip(gtfsZip(TINY)) });

  it('returns the Pareto set: one direct slow trip, and a faster journey with a walk and a change', () => {
    const res = planner.stopToStop({ fromStop: 'A', toStop: 'D', departAt: '2016-11-02T06:59' });
    expect(res.found).toBe(true);
    const summary = res.journeys.map((j) => [j.arrival, j.transfers, j.legs.map((l) => `${l.mode}:${l.tripId ?? ''}`).join(' ')]);
    expect(summary).toEqual([
      ['2016-11-02T07:40:00+01:00', 0, 'transit:r3a'],
      ['2016-11-02T07:18:00+01:00', 1, 'transit:r1a walk: transit:r2a'],
    ]);
    const fast = res.journeys[1];
    // legs are continuous in time and place
    for (let i = 1; i < fast.legs.length; i++) {
      expect(fast.legs[i].departureMs).toBeGreaterThanOrEqual(fast.legs[i - 1].arrivalMs);
      expect(fast.legs[i].from.stopId).toBe(fast.legs[i - 1].to.stopId);
    }
    expect(fast.legs[0].routeName).toBe('1');
    expect(fast.legs[0].stops!.map((s) => s.stopId)).toEqual(['A', 'B', 'C']);
    expect(fast.legs[1].from.name).toBe('Gamma, Platz');
  });

  it('uses the services of the query day: calendar_dates removes and adds trips', () => {
    const holiday = planner.stopToStop({ fromStop: 'A', toStop: 'C', departAt: '2016-11-01T06:59' });
    expect(holiday.journeys.map((j) => j.legs[0].tripId)).toEqual(['r1hol']);
    expect(holiday.journeys[0].arrival).toBe('2016-11-01T09:10:00+01:00');
    const weekday = planner.stopToStop({ fromStop: 'A', toStop: 'C', departAt: '2016-11-02T06:59' });
    expect(weekday.journeys[0].legs[0].tripId).toBe('r1a');
    const saturday = planner.stopToStop({ fromStop: 'A', toStop: 'C', departAt: '2016-11-05T06:59' });
    expect(saturday.found).toBe(false);
  });

  it('boards the previous service day\'s trip after midnight (times past 24:00)', () => {
    // Wednesday's night trip reaches B at 24:05 = Thursday 00:05
    const res = planner.stopToStop({ fromStop: 'B', toStop: 'D', departAt: '2016-11-03T00:00' });
    expect(res.journeys.map((j) => [j.legs[0].tripId, j.legs[0].serviceDate, j.departure, j.arrival])).toEqual([
      ['night', '20161102', '2016-11-03T00:05:00+01:00', '2016-11-03T00:20:00+01:00'],
    ]);
    // and from the evening before, the same trip crosses midnight
    const eve = planner.stopToStop({ fromStop: 'A', toStop: 'D', departAt: '2016-11-02T23:00' });
    expect(eve.journeys[eve.journeys.length - 1].arrival).toBe('2016-11-03T00:20:00+01:00');
  });

  it('range query lists every Pareto-optimal departure in the window', () => {
    const res = planner.stopToStop({ fromStop: 'A', toStop: 'D', departAt: '2016-11-02T06:50', windowMinutes: 60 });
    const s = res.journeys.map((j) => [j.departure.slice(11, 16), j.arrival.slice(11, 16), j.transfers]);
    // 07:00 r1a+r2a (07:18), 07:20 r1b+r2b (07:38); r3a (07:01 -> 07:40) is dominated by 07:20 -> 07:38 in time
    // but has fewer transfers than it, so it stays
    expect(s).toEqual([
      ['07:00', '07:18', 1],
      ['07:01', '07:40', 0],
      ['07:20', '07:38', 1],
    ]);
  });

  it('"no journey" is an empty result and unknown stops are NOT_FOUND naming the field', () => {
    const none = planner.stopToStop({ fromStop: 'A', toStop: 'F', departAt: '2016-11-02T06:59' });
    expect(none).toMatchObject({ found: false, journeys: [] });
    expect(() => planner.stopToStop({ fromStop: 'A', toStop: 'Q', departAt: '2016-11-02T06:59' })).toThrow(/toStop: no stop with stop_id 'Q'/);
    expect(() => planner.stopToStop({ fromStop: 'A', toStop: 'D', departAt: '2016-13-02T06:59' })).toThrow(/departAt must be an ISO 8601 time/);
  });
});

describe('RAPTOR on the rnv feed', () => {
  let planner: TransitPlanner;
  beforeAll(() => {
    const feed = loadGtfsZip(readFileSync(join(ROOT, 'fixtures/gtfs/rnv-gtfs-2016.zip')));
    planner = createTransitPlanner({ feed, footpaths: straightLineFootpaths(feed, { maxMetres: 400 }) });
  });

  it('agrees with a connection-scan oracle on the earliest arrival of 300 random queries', () => {
    const ctx = planner.dayContext(20161108);
    const csa = ctx.csa();
    const S = planner.feed.stopIds.length;
    const r = rng(42);
    let reached = 0;
    for (let q = 0; q < 300; q++) {
      const from = Math.floor(r() * S);
      const to = Math.floor(r() * S);
      const departure = 4 * 3600 + Math.floor(r() * 19 * 3600);
      const access = planner.stopWalks(from, false);
      const egress = planner.stopWalks(to, true);
      const j = ctx.raptor.earliestArrival({ access, egress, departure, maxTrips: 40 });
      const oracle = csa.earliestArrival(access, egress, departure);
      expect(j?.arrival ?? NO_TIME, `query ${q}: ${planner.feed.stopIds[from]} -> ${planner.feed.stopIds[to]} at ${departure}`).toBe(oracle);
      if (oracle !== NO_TIME) reached++;
    }
    expect(reached).toBeGreaterThan(200);
  });

  it('Pareto sets are sane: more trips only when strictly earlier, legs consistent', () => {
    const ctx = planner.dayContext(20161108);
    const tt = ctx.day.tt;
    const S = planner.feed.stopIds.length;
    const r = rng(7);
    let multi = 0;
    for (let q = 0; q < 150; q++) {
      const from = Math.floor(r() * S);
      const to = Math.floor(r() * S);
      const departure = 6 * 3600 + Math.floor(r() * 12 * 3600);
      const set = ctx.raptor.query({ access: planner.stopWalks(from, false), egress: planner.stopWalks(to, true), departure, maxTrips: 8 });
      if (set.length > 1) multi++;
      for (let i = 1; i < set.length; i++) {
        expect(set[i].trips).toBeGreaterThan(set[i - 1].trips);
        expect(set[i].arrival).toBeLessThan(set[i - 1].arrival);
      }
      for (const j of set) {
        expect(j.legs.filter((l) => l.kind === 'transit').length).toBe(j.trips);
        let t = departure;
        for (const l of j.legs) {
          expect(l.departure).toBeGreaterThanOrEqual(t);
          expect(l.arrival).toBeGreaterThanOrEqual(l.departure);
          if (l.kind === 'transit') {
            // the leg's times are the trip's own times at its board and alight stops
            const n = tt.routeStopOffsets[l.route + 1] - tt.routeStopOffsets[l.route];
            const row = tt.routeTimeBase[l.route] + (l.tripSlot - tt.routeTripOffsets[l.route]) * n;
            expect(tt.dep[row + l.boardPos]).toBe(l.departure);
            expect(tt.arr[row + l.alightPos]).toBe(l.arrival);
            expect(l.alightPos).toBeGreaterThan(l.boardPos);
          }
          t = l.arrival;
        }
        expect(t).toBe(j.arrival);
      }
      // restricting trips never gives an earlier arrival than the unrestricted optimum
      if (set.length) {
        const one = ctx.raptor.query({ access: planner.stopWalks(from, false), egress: planner.stopWalks(to, true), departure, maxTrips: 1 });
        if (one.length) expect(one[one.length - 1].arrival).toBeGreaterThanOrEqual(set[set.length - 1].arrival);
      }
    }
    expect(multi).toBeGreaterThan(3);
  });

  it('range query answers agree with single queries at their own departure times', () => {
    const ctx = planner.dayContext(20161108);
    const r = rng(99);
    const S = planner.feed.stopIds.length;
    let checked = 0;
    for (let q = 0; q < 20; q++) {
      const from = Math.floor(r() * S);
      const to = Math.floor(r() * S);
      const access = planner.stopWalks(from, false);
      const egress = planner.stopWalks(to, true);
      const start = 7 * 3600 + Math.floor(r() * 3 * 3600);
      const range = ctx.raptor.rangeQuery({ access, egress, departure: start, maxTrips: 8 }, 3600);
      expect(range.filter((j) => j.trips === 0).length).toBeLessThanOrEqual(1);
      for (const j of range) {
        expect(j.departure).toBeGreaterThanOrEqual(start);
        expect(j.departure).toBeLessThanOrEqual(start + 3600);
        const single = ctx.raptor.query({ access, egress, departure: j.departure, maxTrips: 8 });
        // the single query from the same departure is at least as good (it may also wait past the window) ...
        const sameTrips = single.filter((s) => s.trips <= j.trips);
        expect(sameTrips.length).toBeGreaterThan(0);
        expect(sameTrips[sameTrips.length - 1].arrival).toBeLessThanOrEqual(j.arrival);
        // ... but never better with a journey that leaves within the window
        for (const s of sameTrips) if (s.departure <= start + 3600) expect(s.arrival).toBeGreaterThanOrEqual(j.arrival);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('range query finds every journey a RAPTOR query at each minute of the window finds (or a better one)', () => {
    const ctx = planner.dayContext(20161108);
    const r = rng(2024);
    const S = planner.feed.stopIds.length;
    for (let q = 0; q < 12; q++) {
      const access = planner.stopWalks(Math.floor(r() * S), false);
      const egress = planner.stopWalks(Math.floor(r() * S), true);
      const start = 6 * 3600 + Math.floor(r() * 12 * 3600);
      const range = ctx.raptor.rangeQuery({ access, egress, departure: start, maxTrips: 8 }, 1800);
      for (let d = start; d <= start + 1800; d += 60) {
        for (const a of ctx.raptor.query({ access, egress, departure: d, maxTrips: 8 })) {
          if (a.trips === 0 || a.departure > start + 1800) continue;
          expect(range.some((b) => b.departure >= a.departure && b.arrival <= a.arrival && b.trips <= a.trips), `query ${q} at ${d}: ${a.departure} -> ${a.arrival}, ${a.trips} trips`).toBe(true);
        }
      }
    }
  });
});
