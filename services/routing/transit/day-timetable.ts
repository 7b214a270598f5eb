import type { GtfsFeed } from './gtfs-feed.js';
import { isServiceActive } from './gtfs-feed.js';
import { addDays, weekday, serviceDayOrigin } from './gtfs-time.js';
import type { RaptorTimetable } from './raptor-data.js';

/**
 * Turns a feed into RAPTOR's arrays for one query day. Trips are grouped into patterns
 * (same route, same stop sequence) once per feed; per day, the trips active on the previous
 * day (still running after midnight), the day itself and the next morning are laid out with
 * their times shifted onto the day's clock, sorted, and split into chains that never overtake.
 */
export interface TripPatterns {
  /** stop sequence of pattern p: patternStops[patternStopOffsets[p] ..) */
  patternStopOffsets: Uint32Array;
  patternStops: Uint32Array;
  /** trips of pattern p: patternTrips[patternTripOffsets[p] ..) */
  patternTripOffsets: Uint32Array;
  patternTrips: Uint32Array;
  patternRoute: Int32Array;
}

/** Realtime changes for one trip on one service date. */
export interface TripRealtime {
  cancelled: boolean;
  /** replacement times per stop of the trip (same length as its stop times), or undefined */
  arrival?: Int32Array;
  departure?: Int32Array;
  /** 1 = stop skipped */
  skipped?: Uint8Array;
}

export type RealtimeLookup = (trip: number, serviceDate: number) => TripRealtime | undefined;

export interface DayTimetable {
  date: number;
  /** epoch ms of the day's service origin; time t in the arrays is origin + t * 1000 */
  origin: number;
  tt: RaptorTimetable;
  /** feed trip index and service date of each trip slot */
  slotTrip: Uint32Array;
  slotDate: Int32Array;
  /** RAPTOR route -> pattern */
  routePattern: Uint32Array;
  activeTrips: number;
}

export function buildTripPatterns(feed: GtfsFeed): TripPatterns {
  const byKey = new Map<string, number>();
  const patternOf = new Int32Array(feed.tripIds.length);
  const stopsList: number[][] = [];
  const routeList: number[] = [];
  for (let t = 0; t < feed.tripIds.length; t++) {
    const s = feed.tripStopOffsets[t];
    const e = feed.tripStopOffsets[t + 1];
    if (e - s < 2) {
      patternOf[t] = -1;
      continue;
    }
    const key = `${feed.tripRoute[t]}:${Array.prototype.join.call(feed.stStop.subarray(s, e), ',')}`;
    let p = byKey.get(key);
    if (p === undefined) {
      p = stopsList.length;
      byKey.set(key, p);
      stopsList.push(Array.from(feed.stStop.subarray(s, e)));
      routeList.push(feed.tripRoute[t]);
    }
    patternOf[t] = p;
  }
  const P = stopsList.length;
  const patternStopOffsets = new Uint32Array(P + 1);
  stopsList.forEach((l, p) => (patternStopOffsets[p + 1] = patternStopOffsets[p] + l.length));
  const patternStops = new Uint32Array(patternStopOffsets[P]);
  stopsList.forEach((l, p) => patternStops.set(l, patternStopOffsets[p]));
  const patternTripOffsets = new Uint32Array(P + 1);
  for (let t = 0; t < patternOf.length; t++) if (patternOf[t] >= 0) patternTripOffsets[patternOf[t] + 1]++;
  for (let p = 0; p < P; p++) patternTripOffsets[p + 1] += patternTripOffsets[p];
  const cursor = patternTripOffsets.slice(0, P);
  const patternTrips = new Uint32Array(patternTripOffsets[P]);
  for (let t = 0; t < patternOf.length; t++) if (patternOf[t] >= 0) patternTrips[cursor[patternOf[t]]++] = t;
  return { patternStopOffsets, patternStops, patternTripOffsets, patternTrips, patternRoute: Int32Array.from(routeList) };
}

export interface DayOptions {
  /** include next-day trips departing before this many seconds after the query day's origin; default 36 h */
  horizonSeconds?: number;
  realtime?: RealtimeLookup;
}

interface Entry {
  trip: number;
  date: number;
  shift: number;
  rt: TripRealtime | undefined;
  first: number;
}

export function buildDayTimetable(feed: GtfsFeed, pat: TripPatterns, date: number, opts: DayOptions = {}): DayTimetable {
  const tz = feed.timezone;
  const origin = serviceDayOrigin(date, tz);
  const horizon = opts.horizonSeconds ?? 36 * 3600;
  const days = [-1, 0, 1].map((d) => {
    const dd = addDays(date, d);
    return { date: dd, wd: weekday(dd), shift: Math.round((serviceDayOrigin(dd, tz) - origin) / 1000) };
  });
  const active = feed.serviceIds.map(() => [false, false, false]);
  feed.serviceIds.forEach((_, s) => days.forEach((d, i) => (active[s][i] = isServiceActive(feed, s, d.date, d.wd))));

  const routeStopsOut: number[] = [];
  const routeStopOffsets: number[] = [0];
  const routeTripOffsets: number[] = [0];
  const routeTimeBase: number[] = [0];
  const routePattern: number[] = [];
  const arrOut: number[] = [];
  const depOut: number[] = [];
  const noBoardOut: number[] = [];
  const noAlightOut: number[] = [];
  const slotTrip: number[] = [];
  const slotDate: number[] = [];
  const P = pat.patternRoute.length;
  for (let p = 0; p < P; p++) {
    const ps = pat.patternStopOffsets[p];
    const n = pat.patternStopOffsets[p + 1] - ps;
    const entries: Entry[] = [];
    for (let j = pat.patternTripOffsets[p]; j < pat.patternTripOffsets[p + 1]; j++) {
      const t = pat.patternTrips[j];
      const svc = feed.tripService[t];
      const s0 = feed.tripStopOffsets[t];
      for (let i = 0; i < 3; i++) {
        if (!active[svc][i]) continue;
        const d = days[i];
        const rt = opts.realtime?.(t, d.date);
        if (rt?.cancelled) continue;
        const first = (rt?.departure ? rt.departure[0] : feed.stDeparture[s0]) + d.shift;
        const last = (rt?.arrival ? rt.arrival[n - 1] : feed.stArrival[s0 + n - 1]) + d.shift;
        if (last < 0 || first > horizon) continue;
        entries.push({ trip: t, date: d.date, shift: d.shift, rt, first });
      }
    }
    if (entries.length === 0) continue;
    entries.sort((a, b) => a.first - b.first);
    // rows of times for each entry
    const rows = entries.map((e) => {
      const s0 = feed.tripStopOffsets[e.trip];
      const a = new Int32Array(n);
      const d = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        a[i] = (e.rt?.arrival ? e.rt.arrival[i] : feed.stArrival[s0 + i]) + e.shift;
        d[i] = (e.rt?.departure ? e.rt.departure[i] : feed.stDeparture[s0 + i]) + e.shift;
      }
      return { e, a, d };
    });
    // greedy split into chains in which no trip overtakes the one before it
    const chains: (typeof rows)[] = [];
    for (const row of rows) {
      let placed = false;
      for (const c of chains) {
        const last = c[c.length - 1];
        let ok = true;
        for (let i = 0; i < n && ok; i++) if (row.a[i] < last.a[i] || row.d[i] < last.d[i]) ok = false;
        if (ok) {
          c.push(row);
          placed = true;
          break;
        }
      }
      if (!placed) chains.push([row]);
    }
    for (const c of chains) {
      routePattern.push(p);
      for (let i = 0; i < n; i++) routeStopsOut.push(pat.patternStops[ps + i]);
      routeStopOffsets.push(routeStopsOut.length);
      for (const row of c) {
        const s0 = feed.tripStopOffsets[row.e.trip];
        slotTrip.push(row.e.trip);
        slotDate.push(row.e.date);
        for (let i = 0; i < n; i++) {
          arrOut.push(row.a[i]);
          depOut.push(row.d[i]);
          const skip = row.e.rt?.skipped ? row.e.rt.skipped[i] : 0;
          noBoardOut.push(skip || feed.stNoPickup[s0 + i] || i === n - 1 ? 1 : 0);
          noAlightOut.push(skip || feed.stNoDropOff[s0 + i] || i === 0 ? 1 : 0);
        }
      }
      routeTripOffsets.push(slotTrip.length);
      routeTimeBase.push(arrOut.length);
    }
  }
  routeTimeBase.pop();
  const R = routePattern.length;
  const S = feed.stopIds.length;
  const routeStops = Uint32Array.from(routeStopsOut);
  const rso = Uint32Array.from(routeStopOffsets);
  // stop -> (route, position)
  const stopRouteOffsets = new Uint32Array(S + 1);
  for (let r = 0; r < R; r++) for (let i = rso[r]; i < rso[r + 1]; i++) stopRouteOffsets[routeStops[i] + 1]++;
  for (let s = 0; s < S; s++) stopRouteOffsets[s + 1] += stopRouteOffsets[s];
  const cur = stopRouteOffsets.slice(0, S);
  const stopRoutes = new Uint32Array(stopRouteOffsets[S]);
  const stopRoutePos = new Uint32Array(stopRouteOffsets[S]);
  for (let r = 0; r < R; r++) {
    for (let i = rso[r]; i < rso[r + 1]; i++) {
      const s = routeStops[i];
      const j = cur[s]++;
      stopRoutes[j] = r;
      stopRoutePos[j] = i - rso[r];
    }
  }
  const tt: RaptorTimetable = {
    stopCount: S, routeCount: R,
    routeStopOffsets: rso, routeStops,
    routeTripOffsets: Uint32Array.from(routeTripOffsets), routeTimeBase: Uint32Array.from(routeTimeBase),
    arr: Int32Array.from(arrOut), dep: Int32Array.from(depOut),
    noBoard: Uint8Array.from(noBoardOut), noAlight: Uint8Array.from(noAlightOut),
    stopRouteOffsets, stopRoutes, stopRoutePos,
  };
  return { date, origin, tt, slotTrip: Uint32Array.from(slotTrip), slotDate: Int32Array.from(slotDate), routePattern: Uint32Array.from(routePattern), activeTrips: slotTrip.length };
}
