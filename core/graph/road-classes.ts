/**
 * Road classes (OSM highway values we keep) with per-class defaults. Indexes into
 * ROAD_CLASSES are what the typed arrays store, so the order is part of the snapshot format:
 * append only.
 */
export const ROAD_CLASSES = [
  'motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link',
  'secondary', 'secondary_link', 'tertiary', 'tertiary_link', 'unclassified', 'residential',
  'living_street', 'service', 'track', 'road', 'cycleway', 'footway', 'path', 'pedestrian',
  'steps', 'bus_guideway', 'connector', 'other',
] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

export interface RoadClassDefaults {
  /** free-flow speed when no maxspeed tag, km/h */
  speedKmh: number;
  /** lanes per direction when no lanes tag */
  lanes: number;
  /** capacity per lane, vehicles per hour */
  capacityPerLane: number;
}

// Defaults after common practice (HCM-style per-lane capacities, German urban speeds).
const DEFAULTS: Record<RoadClass, RoadClassDefaults> = {
  motorway: { speedKmh: 120, lanes: 2, capacityPerLane: 2000 },
  motorway_link: { speedKmh: 60, lanes: 1, capacityPerLane: 1500 },
  trunk: { speedKmh: 90, lanes: 2, capacityPerLane: 1800 },
  trunk_link: { speedKmh: 50, lanes: 1, capacityPerLane: 1400 },
  primary: { speedKmh: 50, lanes: 1, capacityPerLane: 1200 },
  primary_link: { speedKmh: 40, lanes: 1, capacityPerLane: 1000 },
  secondary: { speedKmh: 50, lanes: 1, capacityPerLane: 1000 },
  secondary_link: { speedKmh: 40, lanes: 1, capacityPerLane: 900 },
  tertiary: { speedKmh: 40, lanes: 1, capacityPerLane: 800 },
  tertiary_link: { speedKmh: 30, lanes: 1, capacityPerLane: 700 },
  unclassified: { speedKmh: 40, lanes: 1, capacityPerLane: 600 },
  residential: { speedKmh: 30, lanes: 1, capacityPerLane: 500 },
  living_street: { speedKmh: 7, lanes: 1, capacityPerLane: 300 },
  service: { speedKmh: 20, lanes: 1, capacityPerLane: 300 },
  track: { speedKmh: 15, lanes: 1, capacityPerLane: 200 },
  road: { speedKmh: 40, lanes: 1, capacityPerLane: 600 },
  cycleway: { speedKmh: 18, lanes: 1, capacityPerLane: 0 },
  footway: { speedKmh: 5, lanes: 1, capacityPerLane: 0 },
  path: { speedKmh: 5, lanes: 1, capacityPerLane: 0 },
  pedestrian: { speedKmh: 5, lanes: 1, capacityPerLane: 0 },
  steps: { speedKmh: 3, lanes: 1, capacityPerLane: 0 },
  bus_guideway: { speedKmh: 50, lanes: 1, capacityPerLane: 600 },
  connector: { speedKmh: 50, lanes: 1, capacityPerLane: 100000 },
  other: { speedKmh: 30, lanes: 1, capacityPerLane: 500 },
};

export function roadClassIndex(name: string): number {
  const i = (ROAD_CLASSES as readonly string[]).indexOf(name);
  return i >= 0 ? i : ROAD_CLASSES.indexOf('other');
}

export function roadClassDefaults(roadClass: RoadClass): RoadClassDefaults {
  return DEFAULTS[roadClass];
}

/** Walking and cycling speeds used for foot and bike travel times, km/h. */
export const FOOT_SPEED_KMH = 5;
export const BIKE_SPEED_KMH = 16;
