import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { loadGtfsZip, createTransitPlanner, encodeTripUpdates, checkTransitJourney, type TransitPlanner } from '../../../services/routing/transit/index.js';
import { gtfsZip, TINY } from './tiny-feed.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const PB = readFileSync(join(ROOT, 'fixtures/gtfs/bart-2016/bart-tripupdates.pb'));

describe('GTFS-Realtime TripUpdates on BART', () => {
  let planner: TransitPlanner;
  beforeAll(() => {
    planner = createTransitPlanner({ feed: loadGtfsZip(readFileSync(join(ROOT, 'fixtures/gtfs/bart-2016/bart.zip'))) });
  });

  it('matches every trip of the real message and counts the delays it applies', () => {
    // what the message says, read independently with the protobuf bindings
    const msg = GtfsRealtimeBindings.transit_realtime.FeedMessage.decode(PB);
    const withDelay = msg.entity.filter((e) => e.tripUpdate!.stopTimeUpdate!.some((u) => (u.departure?.delay ?? 0) !== 0)).length;
    const stus = msg.entity.reduce((n, e) => n + e.tripUpdate!.stopTimeUpdate!.length, 0);
    const stats = planner.applyRealtime(PB);
    expect(stats.entities).toBe(72);
    expect(stats.tripsMatched).toBe(72);
    expect(stats.tripsUnmatched).toBe(0);
    expect(stats.stopUpdatesApplied).toBe(stus);
    expect(stus).toBe(80);
    expect(stats.tripsDelayed).toBe(withDelay);
    expect(withDelay).toBeGreaterThan(10);
    expect(stats.cancelled).toBe(0);
    expect(new Date(stats.timestamp).toISOString()).toBe('2016-12-29T17:39:24.000Z');
  });

  it('propagates a delay downstream and a later query catches the delayed train', () => {
    const feed = planner.feed;
    const trip = feed.tripIds.indexOf('16DC11');
    const s0 = feed.tripStopOffsets[trip];
    const n = feed.tripStopOffsets[trip + 1] - s0;
    const mont = [...Array(n).keys()].find((i) => feed.stopIds[feed.stStop[s0 + i]] === 'MONT')!;
    const schedDep = feed.stDeparture[s0 + mont];
    const schedDaly = feed.stArrival[s0 + n - 1];
    expect(feed.stopIds[feed.stStop[s0 + n - 1]]).toBe('DALY');
    const hhmmss = (t: number) => `${String(Math.floor(t / 3600)).padStart(2, '0')}:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
    // half a minute after the scheduled departure from MONT: only the +60 s delay makes it catchable
    const departAt = `2016-12-29T${hhmmss(schedDep + 30)}`;
    planner.realtime.clear();
    planner.applyRealtime(encodeTripUpdates(1483033164, []));
    const before = planner.stopToStop({ fromStop: 'MONT', toStop: 'DALY', departAt });
    planner.applyRealtime(PB);
    const after = planner.stopToStop({ fromStop: 'MONT', toStop: 'DALY', departAt });
    const best = after.journeys[after.journeys.length - 1];
    expect(best.legs.map((l) => l.tripId)).toEqual(['16DC11']);
    expect(best.legs[0].delaySeconds).toBe(60);
    expect(best.arrival).toBe(`2016-12-29T${hhmmss(schedDaly + 60)}-08:00`);
    const bestBefore = before.journeys[before.journeys.length - 1];
    expect(bestBefore.legs[0].tripId).not.toBe('16DC11');
    expect(bestBefore.arrivalMs).toBeGreaterThan(best.arrivalMs);
  });

  it('a delay-0 update downstream ends the propagation (29SFO11: +240 s at COLM, 0 at BALB)', () => {
    planner.applyRealtime(PB);
    const feed = planner.feed;
    const trip = feed.tripIds.indexOf('29SFO11');
    const rt = planner.realtime.lookup(trip, 20161229)!;
    const s0 = feed.tripStopOffsets[trip];
    const seqs = Array.from(feed.stSequence.subarray(s0, feed.tripStopOffsets[trip + 1]));
    const delayAt = (seq: number) => rt.departure![seqs.indexOf(seq)] - feed.stDeparture[s0 + seqs.indexOf(seq)];
    expect(delayAt(3)).toBe(0);
    expect(delayAt(4)).toBe(240);
    expect(delayAt(5)).toBe(240);
    // at BALB the train cannot arrive before it left the stop before: the reset is clamped to stay consistent
    const sched = (seq: number) => feed.stDeparture[s0 + seqs.indexOf(seq)];
    expect(delayAt(6)).toBe(Math.max(0, sched(5) + 240 - sched(6)));
    expect(delayAt(7)).toBe(Math.max(0, sched(6) + delayAt(6) - sched(7)));
    expect(delayAt(seqs[seqs.length - 1])).toBe(0);
  });
});

describe('cancellations, skipped stops and transit guidance', () => {
  const planner = createTransitPlanner({ feed: loadGtfsZip(gtfsZip(TINY)) });
  const ts = Date.parse('2016-11-02T06:00:00+01:00') / 1000;

  it('a CANCELED trip is not used; a SKIPPED stop cannot be boarded', () => {
    planner.realtime.clear();
    planner.applyRealtime(encodeTripUpdates(ts, []));
    const plan = () => planner.stopToStop({ fromStop: 'A', toStop: 'C', departAt: '2016-11-02T06:59' }).journeys.map((j) => j.legs[0].tripId);
    expect(plan()).toEqual(['r1a']);
    const stats = planner.applyRealtime(encodeTripUpdates(ts, [{ tripId: 'r1a', startDate: '20161102', cancelled: true }]));
    expect(stats.cancelled).toBe(1);
    expect(plan()).toEqual(['r1b']);
    planner.applyRealtime(encodeTripUpdates(ts, [{ tripId: 'r1a', startDate: '20161102', stops: [{ stopSequence: 1, skipped: true }] }]));
    expect(plan()).toEqual(['r1b']);
    planner.applyRealtime(encodeTripUpdates(ts, []));
    expect(plan()).toEqual(['r1a']);
  });

  it('tells a broken connection and offers the next best option', () => {
    planner.applyRealtime(encodeTripUpdates(ts, []));
    const res = planner.stopToStop({ fromStop: 'A', toStop: 'D', departAt: '2016-11-02T06:59' });
    const planned = res.journeys[res.journeys.length - 1];
    expect(planned.legs.map((l) => l.tripId ?? l.mode)).toEqual(['r1a', 'walk', 'r2a']);
    const now = Date.parse('2016-11-02T07:02:00+01:00');
    expect(checkTransitJourney(planner, planned, now)).toBeNull();
    // r1a now runs 5 minutes late from B: arrives at C 07:15, r2a leaves E at 07:14
    planner.applyRealtime(encodeTripUpdates(ts, [{ tripId: 'r1a', startDate: '20161102', stops: [{ stopSequence: 2, arrivalDelay: 300, departureDelay: 300 }] }]));
    const alert = checkTransitJourney(planner, planned, now)!;
    expect(alert).not.toBeNull();
    expect(alert.reason).toBe('missed-connection');
    expect(alert.brokenLeg).toBe(2);
    expect(alert.alternative).not.toBeNull();
    // from E after 07:15: r2b at 07:34 -> D 07:38
    expect(alert.alternative!.legs.filter((l) => l.mode === 'transit').map((l) => l.tripId)).toEqual(['r2b']);
    expect(alert.alternative!.arrival).toBe('2016-11-02T07:38:00+01:00');
    expect(alert.message).toMatch(/Connection broken/);
    // a small delay that still makes the change keeps the journey valid
    planner.applyRealtime(encodeTripUpdates(ts, [{ tripId: 'r1a', startDate: '20161102', stops: [{ stopSequence: 2, arrivalDelay: 120, departureDelay: 120 }] }]));
    expect(checkTransitJourney(planner, planned, now)).toBeNull();
    // a cancelled second trip breaks it too
    planner.applyRealtime(encodeTripUpdates(ts, [{ tripId: 'r2a', startDate: '20161102', cancelled: true }]));
    expect(checkTransitJourney(planner, planned, now)?.reason).toBe('cancelled');
  });

  it('rejects bytes that are not a FeedMessage with INVALID_FILE', () => {
    expect(() => planner.applyRealtime(new Uint8Array([0xff, 0xff, 0xff, 0x01]))).toThrow(/GTFS-Realtime: not a FeedMessage/);
  });
});

describe('transit watch: alerts pushed when realtime data arrives', () => {
  it('alerts once per new problem, after a gtfs:realtime event', async () => {
    const { createTransitApi, createTransitWatch } = await import('../../../services/routing/multimodal/index.js');
    const { createMemoryBus } = await import('../../../core/bus/index.js');
    const bus = createMemoryBus();
    const api = createTransitApi({ gtfs: gtfsZip(TINY), bus });
    const now = Date.parse('2016-11-02T07:02:00+01:00');
    const watch = createTransitWatch(api, bus, { now: () => now });
    const planned = api.transit({ fromStop: 'A', toStop: 'D', departAt: '2016-11-02T06:59' });
    const option = planned.journeys[planned.journeys.length - 1];
    const alerts: string[] = [];
    const w = watch.watch(option, (a) => alerts.push(`${a.brokenLeg}:${a.reason}`));
    const ts = Date.parse('2016-11-02T06:00:00+01:00') / 1000;
    await api.applyGtfsRealtime(encodeTripUpdates(ts, []));
    await new Promise((r) => setTimeout(r, 10));
    expect(alerts).toEqual([]);
    await api.applyGtfsRealtime(encodeTripUpdates(ts, [{ tripId: 'r1a', startDate: '20161102', stops: [{ stopSequence: 2, arrivalDelay: 300, departureDelay: 300 }] }]));
    await new Promise((r) => setTimeout(r, 10));
    expect(alerts).toEqual(['2:missed-connection']);
    // the same problem again is not repeated; a different one is
    await api.applyGtfsRealtime(encodeTripUpdates(ts, [{ tripId: 'r1a', startDate: '20161102', stops: [{ stopSequence: 2, arrivalDelay: 360, departureDelay: 360 }] }]));
    await new Promise((r) => setTimeout(r, 10));
    expect(alerts).toEqual(['2:missed-connection']);
    await api.applyGtfsRealtime(encodeTripUpdates(ts, [{ tripId: 'r1a', startDate: '20161102', cancelled: true }]));
    await new Promise((r) => setTimeout(r, 10));
    expect(alerts).toEqual(['2:missed-connection', '0:cancelled']);
    w.close();
    expect(watch.size).toBe(0);
    watch.close();
  });
});

describe('realtime across processes', () => {
  it('a second planner sharing bus and store applies the message another one received, and a new one restores it', async () => {
    const { createTransitApi } = await import('../../../services/routing/multimodal/index.js');
    const { createMemoryBus } = await import('../../../core/bus/index.js');
    const { createMemoryStore } = await import('../../../core/store/index.js');
    const bus = createMemoryBus();
    const store = createMemoryStore();
    const a = createTransitApi({ gtfs: gtfsZip(TINY), bus, store });
    const b = createTransitApi({ gtfs: gtfsZip(TINY), bus, store });
    const first = (api: typeof a) => api.transit({ fromStop: 'A', toStop: 'C', departAt: '2016-11-02T06:59' }).journeys[0].legs[0].tripId;
    expect(first(b)).toBe('r1a');
    const ts = Date.parse('2016-11-02T06:00:00+01:00') / 1000;
    await a.applyGtfsRealtime(encodeTripUpdates(ts, [{ tripId: 'r1a', startDate: '20161102', cancelled: true }]));
    await new Promise((r) => setTimeout(r, 20));
    expect(first(a)).toBe('r1b');
    expect(first(b)).toBe('r1b');
    expect(b.info().realtime.trips).toBe(1);
    // a process started later restores the stored state
    const c = createTransitApi({ gtfs: gtfsZip(TINY), bus, store });
    await c.catchUp();
    expect(first(c)).toBe('r1b');
  });
});
