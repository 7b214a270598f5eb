import type { RoadNetwork } from '../graph/road-network.js';

/** A traffic analysis zone: a rectangle of blocks whose trips start and end at one road node. */
export interface SimZone {
  /** 1..n, as in the TNTP trips file */
  id: number;
  /** road node where the zone's trips are loaded (an arterial junction near the zone centre) */
  node: number;
  lon: number;
  lat: number;
  population: number;
  jobs: number;
}

/** Peak-hour car trips between two zones (zone ids, never origin === destination). */
export interface SimDemand {
  origin: number;
  destination: number;
  trips: number;
}

export interface SimBusStop {
  /** GTFS stop_id */
  id: string;
  name: string;
  node: number;
  lon: number;
  lat: number;
}

/** One period of constant headway; times in seconds after midnight of the service day. */
export interface SimHeadway {
  service: 'weekday' | 'weekend';
  start: number;
  end: number;
  headwayMinutes: number;
}

export interface SimBusLine {
  /** GTFS route_id */
  id: string;
  shortName: string;
  longName: string;
  /** stops in direction 0 order (direction 1 runs them backwards) */
  stops: SimBusStop[];
  /** road edges driven in direction 0 and direction 1 */
  edges: [number[], number[]];
  /** running time between consecutive stops (direction 0 order; the same backwards), seconds */
  segmentSeconds: number[];
  dwellSeconds: number;
  headways: SimHeadway[];
}

/** Opening hours of a hub on some weekdays (1 = Monday .. 7 = Sunday), seconds after midnight. */
export interface SimOpening {
  days: number[];
  open: number;
  close: number;
}

export interface SimHub {
  id: string;
  name: string;
  node: number;
  lon: number;
  lat: number;
  /** the arterial junction where the nearest motorway ramps join */
  rampNode: number;
  docks: number;
  opening: SimOpening[];
  /** the same hours as an OSM opening_hours string, for people */
  openingHours: string;
}

export interface SimCustomer {
  id: string;
  node: number;
  lon: number;
  lat: number;
  address: string;
  demandKg: number;
  serviceSeconds: number;
  /** delivery window, seconds after midnight */
  timeWindow: [number, number];
  /** id of the nearest hub (straight line) */
  hub: string;
}

export interface SimRiver {
  /** centre line, west to east, [lon, lat] */
  centreline: [number, number][];
  widthMetres: number;
}

export interface SimCity {
  network: RoadNetwork;
  zones: SimZone[];
  demand: SimDemand[];
  busLines: SimBusLine[];
  hubs: SimHub[];
  customers: SimCustomer[];
  /** ids of every edge crossing the river (road, motorway, ring and foot/cycle bridges) */
  bridges: number[];
  river: SimRiver;
  seed: number;
  size: number;
  centre: [number, number];
  /** what the generator chose (grid size, arterial spacing ...), for docs and tests */
  layout: SimLayoutSummary;
}

export interface SimLayoutSummary {
  /** junctions per side of the street grid */
  gridSize: number;
  /** blocks between arterials */
  arterialSpacing: number;
  /** grid node id of column c, row r is r * gridSize + c; -1 where no node */
  gridNodeCount: number;
  oneWayEdges: number[];
  motorwayCount: number;
  /** no-left-turn restrictions (car and truck) at primary crossings, in network.data.turnRestrictions */
  turnRestrictions: number;
  /** nodes on the north bank of the river (the rest of the car nodes are south) */
  northBank: Uint8Array;
  widthMetres: number;
  heightMetres: number;
}

export interface GenerateCityOptions {
  /** approximate number of directed edges */
  size: number;
  seed: number;
  /** [lon, lat] of the city centre; default [0, 45] */
  centre?: [number, number];
  /** progress callback, fraction in [0, 1] */
  onProgress?: (fraction: number, note: string) => void;
}
