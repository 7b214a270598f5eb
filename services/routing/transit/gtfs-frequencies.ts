import type { CsvTable } from './csv.js';
import type { GtfsFeed } from './gtfs-feed.js';
import { formatGtfsTime, parseGtfsTime } from './gtfs-time.js';
import { bad, get, need } from './gtfs-fields.js';

/**
 * frequencies.txt: each headway window of a trip becomes concrete trips, one per departure, with the
 * template trip's running times (id `${trip_id}@HH:MM:SS`, tripBaseIds keeps the trips.txt id).
 * Trips without frequencies are kept as they are.
 */
export function expandFrequencies(feed: GtfsFeed, freq: CsvTable | undefined, tripIndex: Map<string, number>): GtfsFeed {
  if (!freq) return feed;
  const cTrip = need(freq, 'trip_id');
  const cStart = need(freq, 'start_time');
  const cEnd = need(freq, 'end_time');
  const cHead = need(freq, 'headway_secs');
  const windows = new Map<number, [number, number, number][]>();
  freq.forEach((r, line) => {
    const ti = tripIndex.get(get(r, cTrip));
    if (ti === undefined) throw bad(freq.file, line, `unknown trip_id '${get(r, cTrip)}'`);
    const start = parseGtfsTime(get(r, cStart));
    const end = parseGtfsTime(get(r, cEnd));
    const headway = Number(get(r, cHead));
    if (!(start >= 0)) throw bad(freq.file, line, `bad start_time '${get(r, cStart)}'`);
    if (!(end >= start)) throw bad(freq.file, line, `bad end_time '${get(r, cEnd)}'`);
    if (!Number.isInteger(headway) || headway <= 0) throw bad(freq.file, line, `bad headway_secs '${get(r, cHead)}'`);
    const list = windows.get(ti) ?? [];
    list.push([start, end, headway]);
    windows.set(ti, list);
  });
  if (windows.size === 0) return feed;
  const ids: string[] = [];
  const base: string[] = [];
  const route: number[] = [];
  const svc: number[] = [];
  const head: string[] = [];
  const offs: number[] = [0];
  const cols = { stStop: [] as number[], stArrival: [] as number[], stDeparture: [] as number[], stSequence: [] as number[], stNoPickup: [] as number[], stNoDropOff: [] as number[] };
  const o = feed.tripStopOffsets;
  const emit = (t: number, id: string, shift: number) => {
    ids.push(id);
    base.push(feed.tripIds[t]);
    route.push(feed.tripRoute[t]);
    svc.push(feed.tripService[t]);
    head.push(feed.tripHeadsigns[t]);
    for (let i = o[t]; i < o[t + 1]; i++) {
      cols.stStop.push(feed.stStop[i]);
      cols.stArrival.push(feed.stArrival[i] + shift);
      cols.stDeparture.push(feed.stDeparture[i] + shift);
      cols.stSequence.push(feed.stSequence[i]);
      cols.stNoPickup.push(feed.stNoPickup[i]);
      cols.stNoDropOff.push(feed.stNoDropOff[i]);
    }
    offs.push(cols.stStop.length);
  };
  for (let t = 0; t < feed.tripIds.length; t++) {
    const w = windows.get(t);
    if (!w) {
      emit(t, feed.tripIds[t], 0);
      continue;
    }
    const first = feed.stDeparture[o[t]];
    for (const [start, end, headway] of w) {
      for (let dep = start; dep < end; dep += headway) emit(t, `${feed.tripIds[t]}@${formatGtfsTime(dep)}`, dep - first);
    }
  }
  return {
    ...feed,
    tripIds: ids, tripBaseIds: base, tripRoute: Int32Array.from(route), tripService: Int32Array.from(svc), tripHeadsigns: head,
    tripStopOffsets: Uint32Array.from(offs),
    stStop: Uint32Array.from(cols.stStop), stArrival: Int32Array.from(cols.stArrival), stDeparture: Int32Array.from(cols.stDeparture),
    stSequence: Int32Array.from(cols.stSequence), stNoPickup: Uint8Array.from(cols.stNoPickup), stNoDropOff: Uint8Array.from(cols.stNoDropOff),
  };
}
