import { unzipSync } from 'fflate';
import { UrbanflowError } from '../../../core/errors/index.js';
import { readCsv, decodeText, type CsvTable } from './csv.js';
import { MODULE, bad, need, get } from './gtfs-fields.js';
import { parseGtfsTime, parseGtfsDate, formatGtfsTime, isValidTimezone } from './gtfs-time.js';
import type { GtfsFeed, GtfsAgency, GtfsCalendar } from './gtfs-feed.js';
import { expandFrequencies } from './gtfs-frequencies.js';

/**
 * Reads a GTFS zip (bytes) into a GtfsFeed. Tolerant of layout quirks (BOM, CRLF, spaced
 * headers, quoted fields, files in a sub-folder of the zip, missing optional files); strict
 * about content: a broken reference or malformed value is an INVALID_FILE error naming the file
 * and line.
 */
export function loadGtfsZip(zip: Uint8Array, onProgress?: (fraction: number, note: string) => void): GtfsFeed {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, { filter: (f) => f.name.toLowerCase().endsWith('.txt') });
  } catch (e) {
    throw new UrbanflowError('INVALID_FILE', `GTFS: not a readable zip file (${(e as Error).message})`, { field: 'gtfs', module: MODULE, cause: e });
  }
  const files = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(entries)) files.set(name.split('/').pop()!.toLowerCase(), bytes);
  return loadGtfsFiles(files, onProgress);
}

/** Same as loadGtfsZip for already extracted files (name -> bytes, e.g. 'stops.txt'). */
export function loadGtfsFiles(files: Map<string, Uint8Array>, onProgress?: (fraction: number, note: string) => void): GtfsFeed {
  const notes: string[] = [];
  const table = (name: string, required: boolean): CsvTable | undefined => {
    const bytes = files.get(name);
    if (!bytes) {
      if (required) throw new UrbanflowError('INVALID_FILE', `GTFS: required file ${name} is missing`, { field: name, module: MODULE });
      notes.push(`${name} absent`);
      return undefined;
    }
    return readCsv(name, decodeText(bytes));
  };
  const progress = onProgress ?? (() => {});

  // agency.txt
  const agencies: GtfsAgency[] = [];
  const agencyIndex = new Map<string, number>();
  {
    const t = table('agency.txt', true)!;
    const cName = need(t, 'agency_name');
    const cTz = need(t, 'agency_timezone');
    const cId = t.col('agency_id');
    const cUrl = t.col('agency_url');
    t.forEach((r, line) => {
      const tz = get(r, cTz);
      if (!isValidTimezone(tz)) throw bad(t.file, line, `unknown agency_timezone '${tz}'`);
      const id = get(r, cId);
      agencyIndex.set(id, agencies.length);
      agencies.push({ id, name: get(r, cName), url: get(r, cUrl), timezone: tz });
    });
    if (agencies.length === 0) throw bad(t.file, undefined, 'no agency');
  }

  // stops.txt
  const stopIds: string[] = [];
  const stopNames: string[] = [];
  const lat: number[] = [];
  const lon: number[] = [];
  const parentIds: string[] = [];
  const parentLines: number[] = [];
  const locType: number[] = [];
  const stopIndex = new Map<string, number>();
  {
    const t = table('stops.txt', true)!;
    const cId = need(t, 'stop_id');
    const cName = t.col('stop_name');
    const cLat = t.col('stop_lat');
    const cLon = t.col('stop_lon');
    const cParent = t.col('parent_station');
    const cType = t.col('location_type');
    t.forEach((r, line) => {
      const id = get(r, cId);
      if (id === '') throw bad(t.file, line, 'empty stop_id');
      if (stopIndex.has(id)) throw bad(t.file, line, `duplicate stop_id '${id}'`);
      const type = get(r, cType) === '' ? 0 : Number(get(r, cType));
      const la = Number(get(r, cLat));
      const lo = Number(get(r, cLon));
      // coordinates are required for stops and stations, optional for generic nodes and boarding areas
      if (type <= 2 && (get(r, cLat) === '' || !Number.isFinite(la) || la < -90 || la > 90)) throw bad(t.file, line, `stop '${id}': bad stop_lat '${get(r, cLat)}'`);
      if (type <= 2 && (get(r, cLon) === '' || !Number.isFinite(lo) || lo < -180 || lo > 180)) throw bad(t.file, line, `stop '${id}': bad stop_lon '${get(r, cLon)}'`);
      stopIndex.set(id, stopIds.length);
      stopIds.push(id);
      stopNames.push(get(r, cName));
      lat.push(Number.isFinite(la) ? la : 0);
      lon.push(Number.isFinite(lo) ? lo : 0);
      parentIds.push(get(r, cParent));
      parentLines.push(line);
      locType.push(Number.isFinite(type) ? type : 0);
    });
  }
  const stopParent = new Int32Array(stopIds.length).fill(-1);
  parentIds.forEach((p, i) => {
    if (p === '') return;
    const j = stopIndex.get(p);
    if (j === undefined) throw bad('stops.txt', parentLines[i], `unknown parent_station '${p}'`);
    stopParent[i] = j;
  });
  progress(0.05, 'stops');

  // routes.txt
  const routeIds: string[] = [];
  const routeShort: string[] = [];
  const routeLong: string[] = [];
  const routeTypes: number[] = [];
  const routeAgency: number[] = [];
  const routeIndex = new Map<string, number>();
  {
    const t = table('routes.txt', true)!;
    const cId = need(t, 'route_id');
    const cType = need(t, 'route_type');
    const cShort = t.col('route_short_name');
    const cLong = t.col('route_long_name');
    const cAgency = t.col('agency_id');
    t.forEach((r, line) => {
      const id = get(r, cId);
      if (routeIndex.has(id)) throw bad(t.file, line, `duplicate route_id '${id}'`);
      const type = Number(get(r, cType));
      if (get(r, cType) === '' || !Number.isInteger(type) || type < 0) throw bad(t.file, line, `route '${id}': bad route_type '${get(r, cType)}'`);
      const agencyId = get(r, cAgency);
      let agency = 0;
      if (agencyId !== '') {
        const a = agencyIndex.get(agencyId);
        if (a === undefined) throw bad(t.file, line, `unknown agency_id '${agencyId}'`);
        agency = a;
      }
      routeIndex.set(id, routeIds.length);
      routeIds.push(id);
      routeShort.push(get(r, cShort));
      routeLong.push(get(r, cLong));
      routeTypes.push(type);
      routeAgency.push(agency);
    });
  }

  // calendar.txt + calendar_dates.txt
  const serviceIds: string[] = [];
  const serviceIndex = new Map<string, number>();
  const calendars: (GtfsCalendar | undefined)[] = [];
  const added: Set<number>[] = [];
  const removed: Set<number>[] = [];
  let firstDate = 99991231;
  let lastDate = 0;
  const service = (id: string): number => {
    let s = serviceIndex.get(id);
    if (s === undefined) {
      s = serviceIds.length;
      serviceIndex.set(id, s);
      serviceIds.push(id);
      calendars.push(undefined);
      added.push(new Set());
      removed.push(new Set());
    }
    return s;
  };
  const calendarTable = table('calendar.txt', false);
  const datesTable = table('calendar_dates.txt', false);
  if (!calendarTable && !datesTable) throw new UrbanflowError('INVALID_FILE', 'GTFS: neither calendar.txt nor calendar_dates.txt is present', { field: 'calendar.txt', module: MODULE });
  if (calendarTable) {
    const t = calendarTable;
    const cId = need(t, 'service_id');
    const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => need(t, d));
    const cStart = need(t, 'start_date');
    const cEnd = need(t, 'end_date');
    t.forEach((r, line) => {
      const id = get(r, cId);
      const start = parseGtfsDate(get(r, cStart));
      const end = parseGtfsDate(get(r, cEnd));
      if (Number.isNaN(start)) throw bad(t.file, line, `bad start_date '${get(r, cStart)}'`);
      if (Number.isNaN(end)) throw bad(t.file, line, `bad end_date '${get(r, cEnd)}'`);
      let weekdays = 0;
      days.forEach((c, i) => {
        const v = get(r, c);
        if (v !== '0' && v !== '1') throw bad(t.file, line, `${t.header[c]} must be 0 or 1, got '${v}'`);
        if (v === '1') weekdays |= 1 << i;
      });
      const s = service(id);
      if (calendars[s]) throw bad(t.file, line, `duplicate service_id '${id}'`);
      calendars[s] = { weekdays, start, end };
      firstDate = Math.min(firstDate, start);
      lastDate = Math.max(lastDate, end);
    });
  }
  if (datesTable) {
    const t = datesTable;
    const cId = need(t, 'service_id');
    const cDate = need(t, 'date');
    const cType = need(t, 'exception_type');
    t.forEach((r, line) => {
      const date = parseGtfsDate(get(r, cDate));
      if (Number.isNaN(date)) throw bad(t.file, line, `bad date '${get(r, cDate)}'`);
      const type = get(r, cType);
      const s = service(get(r, cId));
      if (type === '1') {
        added[s].add(date);
        firstDate = Math.min(firstDate, date);
        lastDate = Math.max(lastDate, date);
      } else if (type === '2') removed[s].add(date);
      else throw bad(t.file, line, `exception_type must be 1 or 2, got '${type}'`);
    });
  }
  progress(0.1, 'calendar');

  // trips.txt
  const tripIds: string[] = [];
  const tripRoute: number[] = [];
  const tripService: number[] = [];
  const tripHeadsigns: string[] = [];
  const tripIndex = new Map<string, number>();
  {
    const t = table('trips.txt', true)!;
    const cRoute = need(t, 'route_id');
    const cService = need(t, 'service_id');
    const cTrip = need(t, 'trip_id');
    const cHead = t.col('trip_headsign');
    t.forEach((r, line) => {
      const id = get(r, cTrip);
      if (tripIndex.has(id)) throw bad(t.file, line, `duplicate trip_id '${id}'`);
      const route = routeIndex.get(get(r, cRoute));
      if (route === undefined) throw bad(t.file, line, `unknown route_id '${get(r, cRoute)}'`);
      const s = serviceIndex.get(get(r, cService));
      if (s === undefined) throw bad(t.file, line, `unknown service_id '${get(r, cService)}'`);
      tripIndex.set(id, tripIds.length);
      tripIds.push(id);
      tripRoute.push(route);
      tripService.push(s);
      tripHeadsigns.push(get(r, cHead));
    });
  }
  progress(0.2, 'trips');

  // stop_times.txt: the big one; columns go straight into growable typed arrays
  const stBytes = files.get('stop_times.txt');
  if (!stBytes) throw new UrbanflowError('INVALID_FILE', 'GTFS: required file stop_times.txt is missing', { field: 'stop_times.txt', module: MODULE });
  let cap = 1024;
  for (let i = 0; i < stBytes.length; i++) if (stBytes[i] === 10) cap++;
  const rTrip = new Int32Array(cap);
  const rSeq = new Int32Array(cap);
  const rStop = new Uint32Array(cap);
  const rArr = new Int32Array(cap);
  const rDep = new Int32Array(cap);
  const rFlags = new Uint8Array(cap);
  const rLine = new Int32Array(cap);
  let n = 0;
  {
    const t = readCsv('stop_times.txt', decodeText(stBytes));
    const cTrip = need(t, 'trip_id');
    const cArr = need(t, 'arrival_time');
    const cDep = need(t, 'departure_time');
    const cStop = need(t, 'stop_id');
    const cSeq = need(t, 'stop_sequence');
    const cPick = t.col('pickup_type');
    const cDrop = t.col('drop_off_type');
    let lastTripId = '';
    let lastTrip = -1;
    let lastStopId = '';
    let lastStop = -1;
    t.forEach((r, line) => {
      const tripId = get(r, cTrip);
      if (tripId !== lastTripId) {
        const ti = tripIndex.get(tripId);
        if (ti === undefined) throw bad(t.file, line, `unknown trip_id '${tripId}'`);
        lastTripId = tripId;
        lastTrip = ti;
      }
      const stopId = get(r, cStop);
      if (stopId !== lastStopId) {
        const si = stopIndex.get(stopId);
        if (si === undefined) throw bad(t.file, line, `unknown stop_id '${stopId}'`);
        lastStopId = stopId;
        lastStop = si;
      }
      const seq = Number(get(r, cSeq));
      if (!Number.isInteger(seq) || seq < 0) throw bad(t.file, line, `bad stop_sequence '${get(r, cSeq)}'`);
      let a = parseGtfsTime(r[cArr] ?? '');
      let d = parseGtfsTime(r[cDep] ?? '');
      if (Number.isNaN(a)) throw bad(t.file, line, `bad arrival_time '${get(r, cArr)}'`);
      if (Number.isNaN(d)) throw bad(t.file, line, `bad departure_time '${get(r, cDep)}'`);
      if (a < 0) a = d;
      if (d < 0) d = a;
      if (a >= 0 && d < a) throw bad(t.file, line, `departure_time ${get(r, cDep)} before arrival_time ${get(r, cArr)}`);
      if (n === rTrip.length) throw bad(t.file, line, 'more rows than lines');
      rTrip[n] = lastTrip;
      rSeq[n] = seq;
      rStop[n] = lastStop;
      rArr[n] = a;
      rDep[n] = d;
      rFlags[n] = (get(r, cPick) === '1' ? 1 : 0) | (get(r, cDrop) === '1' ? 2 : 0);
      rLine[n] = line;
      n++;
    });
  }
  progress(0.8, 'stop_times');

  // group by trip (counting sort keeps file order within a trip), then order by stop_sequence
  const tripCount = tripIds.length;
  const counts = new Uint32Array(tripCount + 1);
  for (let i = 0; i < n; i++) counts[rTrip[i] + 1]++;
  for (let t = 0; t < tripCount; t++) counts[t + 1] += counts[t];
  const order = new Uint32Array(n);
  const cursor = counts.slice(0, tripCount);
  for (let i = 0; i < n; i++) order[cursor[rTrip[i]]++] = i;
  for (let t = 0; t < tripCount; t++) {
    const s = counts[t];
    const e = counts[t + 1];
    if (e - s < 2) {
      if (e - s === 1) throw bad('stop_times.txt', rLine[order[s]], `trip '${tripIds[t]}' has a single stop time`);
      continue;
    }
    let sorted = true;
    for (let i = s + 1; i < e; i++) if (rSeq[order[i]] <= rSeq[order[i - 1]]) sorted = false;
    if (!sorted) {
      const slice = Array.from(order.subarray(s, e)).sort((x, y) => rSeq[x] - rSeq[y]);
      for (let i = 1; i < slice.length; i++) {
        if (rSeq[slice[i]] === rSeq[slice[i - 1]]) throw bad('stop_times.txt', rLine[slice[i]], `duplicate stop_sequence ${rSeq[slice[i]]} in trip '${tripIds[t]}'`);
      }
      order.set(slice, s);
    }
  }
  const stStop = new Uint32Array(n);
  const stArrival = new Int32Array(n);
  const stDeparture = new Int32Array(n);
  const stSequence = new Int32Array(n);
  const stNoPickup = new Uint8Array(n);
  const stNoDropOff = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = order[i];
    stStop[i] = rStop[j];
    stArrival[i] = rArr[j];
    stDeparture[i] = rDep[j];
    stSequence[i] = rSeq[j];
    stNoPickup[i] = rFlags[j] & 1;
    stNoDropOff[i] = (rFlags[j] >> 1) & 1;
  }
  // untimed intermediate stops: interpolate between the timed stops around them; times must not go back
  for (let t = 0; t < tripCount; t++) {
    const s = counts[t];
    const e = counts[t + 1];
    if (e === s) continue;
    if (stArrival[s] < 0 || stArrival[e - 1] < 0) throw bad('stop_times.txt', rLine[order[stArrival[s] < 0 ? s : e - 1]], `trip '${tripIds[t]}': first and last stop times must have a time`);
    let prev = s;
    for (let i = s + 1; i < e; i++) {
      if (stArrival[i] < 0) continue;
      if (stArrival[i] < stDeparture[prev]) throw bad('stop_times.txt', rLine[order[i]], `trip '${tripIds[t]}': time ${formatGtfsTime(stArrival[i])} is before the previous stop's ${formatGtfsTime(stDeparture[prev])}`);
      for (let k = prev + 1; k < i; k++) {
        const v = Math.round(stDeparture[prev] + ((stArrival[i] - stDeparture[prev]) * (k - prev)) / (i - prev));
        stArrival[k] = v;
        stDeparture[k] = v;
      }
      prev = i;
    }
  }
  progress(0.9, 'ordered');

  // transfers.txt
  const transfers: GtfsFeed['transfers'] = [];
  const tr = table('transfers.txt', false);
  if (tr) {
    const cFrom = need(tr, 'from_stop_id');
    const cTo = need(tr, 'to_stop_id');
    const cType = tr.col('transfer_type');
    const cMin = tr.col('min_transfer_time');
    tr.forEach((r, line) => {
      const from = stopIndex.get(get(r, cFrom));
      if (from === undefined) throw bad(tr.file, line, `unknown from_stop_id '${get(r, cFrom)}'`);
      const to = stopIndex.get(get(r, cTo));
      if (to === undefined) throw bad(tr.file, line, `unknown to_stop_id '${get(r, cTo)}'`);
      const type = get(r, cType) === '' ? 0 : Number(get(r, cType));
      const min = get(r, cMin) === '' ? -1 : Number(get(r, cMin));
      if (!Number.isFinite(type) || !Number.isFinite(min)) throw bad(tr.file, line, 'bad transfer_type or min_transfer_time');
      transfers.push({ from, to, type, minSeconds: min });
    });
  }
  progress(1, 'done');

  const feed: GtfsFeed = {
    timezone: agencies[0].timezone,
    agencies,
    stopIds, stopNames,
    stopLat: Float64Array.from(lat), stopLon: Float64Array.from(lon),
    stopParent, stopLocationType: Uint8Array.from(locType),
    routeIds, routeShortNames: routeShort, routeLongNames: routeLong,
    routeTypes: Int32Array.from(routeTypes), routeAgency: Int32Array.from(routeAgency),
    tripIds, tripRoute: Int32Array.from(tripRoute), tripService: Int32Array.from(tripService),
    tripHeadsigns, tripBaseIds: tripIds,
    tripStopOffsets: counts, stStop, stArrival, stDeparture, stSequence, stNoPickup, stNoDropOff,
    serviceIds, calendars, addedDates: added, removedDates: removed,
    transfers, notes,
    firstDate: firstDate === 99991231 ? 0 : firstDate, lastDate,
  };
  return expandFrequencies(feed, table('frequencies.txt', false), tripIndex);
}
