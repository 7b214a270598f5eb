import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { UrbanflowError } from '../../../core/errors/index.js';
import type { GtfsFeed } from './gtfs-feed.js';
import { isServiceActive } from './gtfs-feed.js';
import { addDays, localFields, parseGtfsDate, serviceDayOrigin, weekday } from './gtfs-time.js';
import type { TripRealtime } from './day-timetable.js';

const rt = GtfsRealtimeBindings.transit_realtime;
const TRIP_CANCELED = 3;
const TRIP_ADDED = 1;
const STOP_SKIPPED = 1;
const STOP_NO_DATA = 2;

export interface RealtimeStats {
  /** feed header timestamp, ms since epoch */
  timestamp: number;
  entities: number;
  tripUpdates: number;
  tripsMatched: number;
  tripsUnmatched: number;
  /** stop_time_updates applied (matched to a stop of a matched trip) */
  stopUpdatesApplied: number;
  /** matched trips whose times moved (some delay other than 0) */
  tripsDelayed: number;
  cancelled: number;
  skippedStops: number;
  /** matched trip ids (base ids as in trips.txt) */
  tripIds: string[];
  unmatchedTripIds: string[];
}

/**
 * GTFS-Realtime TripUpdates applied to the static feed: per (trip, service date), replacement
 * times with delays propagated downstream from each stop_time_update until the next one
 * (NO_DATA returns the following stops to the schedule), SKIPPED stops, CANCELED trips.
 * A full dataset replaces the previous state; a differential one adds to it.
 */
export class RealtimeState {
  readonly feed: GtfsFeed;
  private readonly byKey = new Map<string, TripRealtime>();
  private readonly tripIndex: Map<string, number[]>;
  version = 0;
  lastStats: RealtimeStats | undefined;

  constructor(feed: GtfsFeed) {
    this.feed = feed;
    this.tripIndex = new Map();
    feed.tripBaseIds.forEach((id, t) => {
      const l = this.tripIndex.get(id);
      if (l) l.push(t);
      else this.tripIndex.set(id, [t]);
    });
  }

  get size(): number {
    return this.byKey.size;
  }

  lookup = (trip: number, date: number): TripRealtime | undefined => this.byKey.get(`${trip}|${date}`);

  /** service dates with realtime changes */
  dates(): Set<number> {
    return new Set([...this.byKey.keys()].map((k) => Number(k.split('|')[1])));
  }

  clear(): void {
    this.byKey.clear();
    this.version++;
  }

  applyProtobuf(bytes: Uint8Array): RealtimeStats {
    let msg: ReturnType<typeof rt.FeedMessage.decode>;
    try {
      msg = rt.FeedMessage.decode(bytes);
    } catch (e) {
      throw new UrbanflowError('INVALID_FILE', `GTFS-Realtime: not a FeedMessage (${(e as Error).message})`, { field: 'gtfs-rt', module: 'transit/realtime', cause: e });
    }
    return this.applyMessage(msg);
  }

  applyMessage(msg: InstanceType<typeof rt.FeedMessage>): RealtimeStats {
    const feed = this.feed;
    const tz = feed.timezone;
    const timestamp = Number(msg.header?.timestamp ?? 0) * 1000 || Date.now();
    if (msg.header?.incrementality !== 1) this.byKey.clear();
    const stats: RealtimeStats = {
      timestamp, entities: msg.entity.length, tripUpdates: 0, tripsMatched: 0, tripsUnmatched: 0,
      stopUpdatesApplied: 0, tripsDelayed: 0, cancelled: 0, skippedStops: 0, tripIds: [], unmatchedTripIds: [],
    };
    for (const entity of msg.entity) {
      const tu = entity.tripUpdate;
      if (!tu) continue;
      stats.tripUpdates++;
      const desc = tu.trip;
      const tripId = desc?.tripId ?? '';
      const rel = desc?.scheduleRelationship ?? 0;
      const candidates = this.tripIndex.get(tripId);
      if (!candidates || rel === TRIP_ADDED) {
        stats.tripsUnmatched++;
        stats.unmatchedTripIds.push(tripId);
        continue;
      }
      // frequency-based trips are told apart by start_time
      let trip = candidates[0];
      if (candidates.length > 1 && desc?.startTime) {
        const match = candidates.find((t) => feed.tripIds[t].endsWith(`@${desc.startTime!.padStart(8, '0')}`));
        if (match !== undefined) trip = match;
      }
      const date = desc?.startDate ? parseGtfsDate(desc.startDate) : this.serviceDateAround(trip, timestamp);
      if (!(date > 0)) {
        stats.tripsUnmatched++;
        stats.unmatchedTripIds.push(tripId);
        continue;
      }
      stats.tripsMatched++;
      stats.tripIds.push(tripId);
      const key = `${trip}|${date}`;
      if (rel === TRIP_CANCELED) {
        this.byKey.set(key, { cancelled: true });
        stats.cancelled++;
        continue;
      }
      const s0 = feed.tripStopOffsets[trip];
      const n = feed.tripStopOffsets[trip + 1] - s0;
      const origin = serviceDayOrigin(date, tz);
      const prev = this.byKey.get(key);
      const arrival = prev?.arrival ? prev.arrival.slice() : feed.stArrival.slice(s0, s0 + n);
      const departure = prev?.departure ? prev.departure.slice() : feed.stDeparture.slice(s0, s0 + n);
      const skipped = prev?.skipped ? prev.skipped.slice() : new Uint8Array(n);
      // position of each update in the trip: by stop_sequence, else by stop_id after the previous one
      const updates: { pos: number; u: GtfsRealtimeBindings.transit_realtime.TripUpdate.IStopTimeUpdate }[] = [];
      let searchFrom = 0;
      for (const u of tu.stopTimeUpdate ?? []) {
        let pos = -1;
        if (u.stopSequence !== null && u.stopSequence !== undefined) {
          for (let i = 0; i < n; i++) if (feed.stSequence[s0 + i] === u.stopSequence) pos = i;
        }
        if (pos < 0 && u.stopId) {
          for (let i = searchFrom; i < n; i++) {
            if (feed.stopIds[feed.stStop[s0 + i]] === u.stopId) {
              pos = i;
              break;
            }
          }
        }
        if (pos < 0) continue;
        searchFrom = pos + 1;
        updates.push({ pos, u });
      }
      updates.sort((a, b) => a.pos - b.pos);
      let moved = false;
      for (let j = 0; j < updates.length; j++) {
        const { pos, u } = updates[j];
        const end = j + 1 < updates.length ? updates[j + 1].pos : n;
        stats.stopUpdatesApplied++;
        const sched = (i: number, which: 'a' | 'd') => (which === 'a' ? feed.stArrival[s0 + i] : feed.stDeparture[s0 + i]);
        const eventDelay = (ev: GtfsRealtimeBindings.transit_realtime.TripUpdate.IStopTimeEvent | null | undefined, which: 'a' | 'd'): number | undefined => {
          if (!ev) return undefined;
          if (ev.delay !== null && ev.delay !== undefined) return ev.delay;
          if (ev.time !== null && ev.time !== undefined && Number(ev.time) > 0) return Math.round((Number(ev.time) * 1000 - origin) / 1000) - sched(pos, which);
          return undefined;
        };
        if (u.scheduleRelationship === STOP_NO_DATA) {
          for (let i = pos; i < end; i++) {
            arrival[i] = feed.stArrival[s0 + i];
            departure[i] = feed.stDeparture[s0 + i];
          }
          continue;
        }
        if (u.scheduleRelationship === STOP_SKIPPED) {
          skipped[pos] = 1;
          stats.skippedStops++;
        }
        const dDep = eventDelay(u.departure, 'd');
        const dArr = eventDelay(u.arrival, 'a') ?? dDep;
        const carry = dDep ?? dArr;
        if (carry === undefined) continue;
        arrival[pos] = feed.stArrival[s0 + pos] + (dArr ?? carry);
        departure[pos] = feed.stDeparture[s0 + pos] + carry;
        for (let i = pos + 1; i < end; i++) {
          arrival[i] = feed.stArrival[s0 + i] + carry;
          departure[i] = feed.stDeparture[s0 + i] + carry;
        }
        if (carry !== 0 || (dArr ?? 0) !== 0) moved = true;
      }
      // keep times consistent: never depart before arriving, never arrive before the previous departure
      for (let i = 0; i < n; i++) {
        if (i > 0 && arrival[i] < departure[i - 1]) arrival[i] = departure[i - 1];
        if (departure[i] < arrival[i]) departure[i] = arrival[i];
      }
      if (moved) stats.tripsDelayed++;
      this.byKey.set(key, { cancelled: false, arrival, departure, skipped });
    }
    this.version++;
    this.lastStats = stats;
    return stats;
  }

  /** the service date on which a trip runs around an instant (today's or yesterday's) */
  private serviceDateAround(trip: number, at: number): number {
    const feed = this.feed;
    const local = localFields(at, feed.timezone).date;
    const s0 = feed.tripStopOffsets[trip];
    const s1 = feed.tripStopOffsets[trip + 1];
    let fallback = 0;
    for (const d of [local, addDays(local, -1), addDays(local, 1)]) {
      if (!isServiceActive(feed, feed.tripService[trip], d, weekday(d))) continue;
      if (!fallback) fallback = d;
      const origin = serviceDayOrigin(d, feed.timezone);
      const start = origin + (feed.stDeparture[s0] - 3600) * 1000;
      const end = origin + (feed.stArrival[s1 - 1] + 3600) * 1000;
      if (at >= start && at <= end) return d;
    }
    return fallback;
  }
}

/** Builds a TripUpdates FeedMessage (for tests and simulations). */
export function encodeTripUpdates(timestampSec: number, updates: { tripId: string; startDate?: string; cancelled?: boolean; stops?: { stopSequence?: number; stopId?: string; arrivalDelay?: number; departureDelay?: number; skipped?: boolean }[] }[]): Uint8Array {
  const msg = rt.FeedMessage.create({
    header: { gtfsRealtimeVersion: '2.0', incrementality: 0, timestamp: timestampSec },
    entity: updates.map((u, i) => ({
      id: String(i),
      tripUpdate: {
        trip: { tripId: u.tripId, startDate: u.startDate, scheduleRelationship: u.cancelled ? TRIP_CANCELED : 0 },
        stopTimeUpdate: (u.stops ?? []).map((s) => ({
          stopSequence: s.stopSequence, stopId: s.stopId, scheduleRelationship: s.skipped ? STOP_SKIPPED : 0,
          arrival: s.arrivalDelay !== undefined ? { delay: s.arrivalDelay } : undefined,
          departure: s.departureDelay !== undefined ? { delay: s.departureDelay } : undefined,
        })),
      },
    })),
  });
  return rt.FeedMessage.encode(msg).finish();
}
