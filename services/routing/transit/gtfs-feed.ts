/**
 * A parsed GTFS feed in compact columns: strings where ids are needed, typed arrays elsewhere.
 * Stop times are grouped per trip (CSR over trips, in stop_sequence order). Frequency-based
 * trips are expanded into one trip per departure at load time (id `${trip_id}@HH:MM:SS`).
 */
export interface GtfsAgency {
  id: string;
  name: string;
  url: string;
  timezone: string;
}

export interface GtfsCalendar {
  /** bit i set = runs on weekday i (0 = Monday) */
  weekdays: number;
  start: number;
  end: number;
}

export interface GtfsFeed {
  /** timezone of the (first) agency: GTFS times are local to it */
  timezone: string;
  agencies: GtfsAgency[];

  stopIds: string[];
  stopNames: string[];
  stopLat: Float64Array;
  stopLon: Float64Array;
  /** index of parent station, -1 when none */
  stopParent: Int32Array;
  /** GTFS location_type (0 stop, 1 station, 2 entrance ...) */
  stopLocationType: Uint8Array;

  routeIds: string[];
  routeShortNames: string[];
  routeLongNames: string[];
  /** GTFS route_type, basic (0..12) or extended (100..1700) */
  routeTypes: Int32Array;
  routeAgency: Int32Array;

  tripIds: string[];
  tripRoute: Int32Array;
  tripService: Int32Array;
  tripHeadsigns: string[];
  /** for expanded frequency trips: the trip_id in trips.txt; otherwise the same as tripIds */
  tripBaseIds: string[];

  /** stop times of trip t: [tripStopOffsets[t], tripStopOffsets[t+1]) */
  tripStopOffsets: Uint32Array;
  stStop: Uint32Array;
  stArrival: Int32Array;
  stDeparture: Int32Array;
  stSequence: Int32Array;
  /** 1 = no pickup (pickup_type 1) */
  stNoPickup: Uint8Array;
  /** 1 = no drop off (drop_off_type 1) */
  stNoDropOff: Uint8Array;

  serviceIds: string[];
  /** per service: calendar.txt row or undefined */
  calendars: (GtfsCalendar | undefined)[];
  /** per service: dates added (exception_type 1) */
  addedDates: Set<number>[];
  /** per service: dates removed (exception_type 2) */
  removedDates: Set<number>[];

  /** transfers.txt rows */
  transfers: { from: number; to: number; type: number; minSeconds: number }[];

  /** which optional files were absent, and other soft notes from the import */
  notes: string[];
  /** first and last service date found in calendar / calendar_dates */
  firstDate: number;
  lastDate: number;
}

export function isServiceActive(feed: GtfsFeed, service: number, date: number, weekdayOfDate: number): boolean {
  if (feed.removedDates[service].has(date)) return false;
  if (feed.addedDates[service].has(date)) return true;
  const c = feed.calendars[service];
  return c !== undefined && date >= c.start && date <= c.end && (c.weekdays & (1 << weekdayOfDate)) !== 0;
}
