import { MODE } from '../modes.js';
import { roadClassDefaults, ROAD_CLASSES, type RoadClass, type RoadClassDefaults } from '../road-classes.js';
import { isNoSpeedLimit, parseLanes, parseMaxheight, parseMaxspeed, parseMaxweight } from './tag-values.js';

/** What one direction of a way allows and how fast and wide it is. */
export interface DirectionProfile {
  /** MODE bits */
  modes: number;
  speedKmh: number;
  /** lanes in this direction (fractional when a two-way total was halved) */
  lanes: number;
  /** vehicles per hour in this direction */
  capacity: number;
}

/** The routing meaning of one OSM way's tags; `forward` follows the node order. */
export interface WayProfile {
  roadClass: RoadClass;
  forward: DirectionProfile;
  backward: DirectionProfile;
  /** tonnes, 0 = none */
  maxWeight: number;
  /** metres, 0 = none */
  maxHeight: number;
  name: string;
  ref: string;
}

export type OsmTags = Readonly<Record<string, string | undefined>>;

const ALL = MODE.car | MODE.truck | MODE.bike | MODE.foot;
const MOTOR = MODE.car | MODE.truck;

/**
 * Which modes a highway class allows when no access tag says otherwise (the OSM wiki's access
 * defaults for Germany). Trunk roads are open to bikes and pedestrians unless they are a
 * Kraftfahrstraße (motorroad=yes, handled in interpretWay) or tagged bicycle/foot=no; in the
 * Rhein-Neckar extract 741 trunk ways carry motorroad=yes. Classes not listed are not routable
 * (construction, proposed, platform, bus_guideway, ...).
 */
const CLASS_MODES: Partial<Record<RoadClass, number>> = {
  motorway: MOTOR, motorway_link: MOTOR, trunk: ALL, trunk_link: ALL,
  primary: ALL, primary_link: ALL, secondary: ALL, secondary_link: ALL, tertiary: ALL, tertiary_link: ALL,
  unclassified: ALL, residential: ALL, living_street: ALL, service: ALL, road: ALL,
  track: MODE.bike | MODE.foot,
  cycleway: MODE.bike, footway: MODE.foot, pedestrian: MODE.foot, steps: MODE.foot, path: MODE.bike | MODE.foot,
};

const CLASS_SET = new Set<string>(ROAD_CLASSES);

/** Access tags consulted per mode, most specific first (OSM access hierarchy). */
const ACCESS_CHAIN: [number, string[]][] = [
  [MODE.car, ['motorcar', 'motor_vehicle', 'vehicle', 'access']],
  [MODE.truck, ['hgv', 'motor_vehicle', 'vehicle', 'access']],
  [MODE.bike, ['bicycle', 'vehicle', 'access']],
  [MODE.foot, ['foot', 'access']],
];

// destination/delivery/customers allow the vehicle in; a router without penalties treats them as yes
const ALLOW = new Set(['yes', 'designated', 'permissive', 'destination', 'delivery', 'customers', 'official', 'discouraged', 'dismount', 'opposite']);
const DENY = new Set(['no', 'private', 'agricultural', 'forestry', 'use_sidepath', 'emergency', 'military', 'permit', 'restricted']);

/** true = allowed, false = forbidden, undefined = this tag does not decide (absent or unknown value). */
export function accessVerdict(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (ALLOW.has(value)) return true;
  if (DENY.has(value)) return false;
  const parts = value.split(';').map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (parts.length === 0) return undefined;
  if (parts.some((p) => ALLOW.has(p))) return true;
  if (parts.every((p) => DENY.has(p))) return false;
  return undefined;
}

/** -1, 0, 1, or 'reversible'; the implied value for motorways and roundabouts when untagged. */
export function onewayOf(tags: OsmTags): -1 | 0 | 1 | 'reversible' {
  const v = tags.oneway?.trim().toLowerCase();
  if (v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === '-1' || v === 'reverse') return -1;
  if (v === 'no' || v === 'false' || v === '0') return 0;
  if (v === 'reversible' || v === 'alternating') return 'reversible';
  const hw = tags.highway;
  if (hw === 'motorway' || hw === 'motorway_link') return 1;
  if (tags.junction === 'roundabout' || tags.junction === 'circular') return 1;
  return 0;
}

function bikeOneway(tags: OsmTags, vehicleOneway: -1 | 0 | 1): -1 | 0 | 1 {
  const v = tags['oneway:bicycle']?.trim().toLowerCase();
  if (v === 'no' || v === 'false' || v === '0') return 0;
  if (v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === '-1' || v === 'opposite') return -1;
  if (vehicleOneway !== 0) {
    const cw = tags.cycleway;
    if (cw === 'opposite' || cw === 'opposite_lane' || cw === 'opposite_track' || tags.bicycle === 'opposite') return 0;
  }
  return vehicleOneway;
}

function footOneway(tags: OsmTags): -1 | 0 | 1 {
  const v = tags['oneway:foot']?.trim().toLowerCase();
  if (v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === '-1') return -1;
  return 0;
}

// the chain with its directional keys spelled out once (this runs for every way of a city)
const CHAIN_KEYS = ACCESS_CHAIN.map(([bit, chain]) => ({
  bit,
  keys: chain.map((key) => ({ key, forward: `${key}:forward`, backward: `${key}:backward` })),
}));

/** every key modesFor may read; most ways carry none of them, and then the class default holds */
const ACCESS_KEYS = new Set(CHAIN_KEYS.flatMap(({ keys }) => keys.flatMap((k) => [k.key, k.forward, k.backward])));

function hasAccessTags(tags: OsmTags): boolean {
  for (const k in tags) if (ACCESS_KEYS.has(k)) return true;
  return false;
}

function modesFor(tags: OsmTags, classModes: number, dir: 'forward' | 'backward'): number {
  let modes = 0;
  for (const { bit, keys } of CHAIN_KEYS) {
    let verdict: boolean | undefined;
    for (const k of keys) {
      const directed = tags[k[dir]];
      const plain = tags[k.key];
      if (directed === undefined && plain === undefined) continue;
      verdict = accessVerdict(directed) ?? accessVerdict(plain);
      if (verdict !== undefined) break;
    }
    if (verdict ?? (classModes & bit) !== 0) modes |= bit;
  }
  return modes;
}

/**
 * The routing meaning of a way's tags, or undefined when the way is not a road we route on.
 * Pure function of the tags so the rules can be tested on tag objects.
 */
export function interpretWay(tags: OsmTags): WayProfile | undefined {
  const hw = tags.highway;
  if (!hw) return undefined;
  if (!CLASS_SET.has(hw)) return undefined;
  const roadClass = hw as RoadClass;
  let classModes = CLASS_MODES[roadClass];
  if (classModes === undefined) return undefined;
  if (tags.motorroad === 'yes') classModes &= MOTOR;

  const tagged = hasAccessTags(tags);
  let fwd = tagged ? modesFor(tags, classModes, 'forward') : classModes;
  let bwd = tagged ? modesFor(tags, classModes, 'backward') : classModes;
  // an area=yes highway is a polygon (a square): walkable and rideable along its outline, not a road
  if (tags.area === 'yes') {
    fwd &= ~MOTOR;
    bwd &= ~MOTOR;
  }

  const oneway = onewayOf(tags);
  const vehicleOneway = oneway === 'reversible' ? 0 : oneway;
  if (oneway === 'reversible') {
    // direction changes with the time of day: no motor routing over it
    fwd &= ~MOTOR;
    bwd &= ~MOTOR;
  }
  if (vehicleOneway === 1) bwd &= ~MOTOR;
  if (vehicleOneway === -1) fwd &= ~MOTOR;
  const bo = bikeOneway(tags, vehicleOneway);
  if (bo === 1) bwd &= ~MODE.bike;
  if (bo === -1) fwd &= ~MODE.bike;
  const fo = footOneway(tags);
  if (fo === 1) bwd &= ~MODE.foot;
  if (fo === -1) fwd &= ~MODE.foot;
  if ((fwd | bwd) === 0) return undefined;

  const defaults = roadClassDefaults(roadClass);
  const total = parseLanes(tags.lanes);
  return {
    roadClass,
    forward: direction(tags, 'forward', fwd, defaults, total, vehicleOneway !== 0),
    backward: direction(tags, 'backward', bwd, defaults, total, vehicleOneway !== 0),
    maxWeight: parseMaxweight(tags.maxweight) ?? 0,
    maxHeight: parseMaxheight(tags.maxheight) ?? 0,
    name: tags.name ?? '',
    ref: tags.ref ?? '',
  };
}

// top-level rather than closures: tsx wraps every closure creation in a naming helper, which
// made interpretWay several times slower when it ran for every way of a city
function direction(tags: OsmTags, dir: 'forward' | 'backward', modes: number, defaults: RoadClassDefaults, total: number | undefined, oneway: boolean): DirectionProfile {
  const l = laneCount(tags, dir, defaults, total, oneway);
  return { modes, speedKmh: speedOf(tags, dir, defaults), lanes: l, capacity: l * defaults.capacityPerLane };
}

function speedOf(tags: OsmTags, dir: 'forward' | 'backward', defaults: RoadClassDefaults): number {
  const raw = (dir === 'forward' ? tags['maxspeed:forward'] : tags['maxspeed:backward']) ?? tags.maxspeed;
  const parsed = parseMaxspeed(raw);
  if (parsed !== undefined) return parsed;
  // no limit on an Autobahn: the advisory speed (Richtgeschwindigkeit) is a fair free-flow speed
  if (isNoSpeedLimit(raw)) return Math.max(130, defaults.speedKmh);
  return defaults.speedKmh;
}

function laneCount(tags: OsmTags, dir: 'forward' | 'backward', defaults: RoadClassDefaults, total: number | undefined, oneway: boolean): number {
  const explicit = parseLanes(dir === 'forward' ? tags['lanes:forward'] : tags['lanes:backward']);
  if (explicit !== undefined) return explicit;
  if (total === undefined) return defaults.lanes;
  if (oneway) return total;
  return Math.max(1, total / 2);
}

/** Every way tag interpretWay reads: the importer asks the PBF decoder for these only. */
export const WAY_TAG_KEYS: readonly string[] = [
  'highway', 'oneway', 'junction', 'motorroad', 'area', 'oneway:bicycle', 'oneway:foot', 'cycleway',
  'maxspeed', 'maxspeed:forward', 'maxspeed:backward', 'lanes', 'lanes:forward', 'lanes:backward',
  'maxweight', 'maxheight', 'name', 'ref', ...ACCESS_KEYS,
];
