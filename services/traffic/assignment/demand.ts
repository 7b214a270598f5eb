import { invalidInput } from '../../../core/errors/index.js';
import type { AssignmentNetwork } from './network.js';

/**
 * A vehicle class: its own demand and its own generalized cost
 * c = t(x) + tollFactor * toll + distanceFactor * length, where x is the total flow in
 * passenger-car equivalents (sum over classes of pce * class flow).
 */
export interface VehicleClass {
  name: string;
  /** passenger-car equivalents of one vehicle; default 1 */
  pce?: number;
  /** default: the network's tollFactor / distanceFactor (TNTP metadata) */
  tollFactor?: number;
  distanceFactor?: number;
  /** per link: 0 = this class may not use the link (e.g. trucks); default all allowed */
  allowedLinks?: Uint8Array;
}

export interface ClassDemand {
  vehicleClass: VehicleClass;
  /** zones x zones, row-major: od[o * zoneCount + d] trips from zone o to zone d (zone indexes) */
  od: Float64Array;
}

export interface AssignmentDemand {
  zoneCount: number;
  classes: ClassDemand[];
}

export interface OdTriple {
  origin: number | string;
  destination: number | string;
  trips: number;
}

/** One class of demand from (origin, destination, trips) triples naming zones by the network's zoneIds. */
export function demandFromTriples(net: AssignmentNetwork, triples: readonly OdTriple[], vehicleClass: VehicleClass = { name: 'car' }): AssignmentDemand {
  const index = new Map<number | string, number>();
  net.zoneIds.forEach((id, z) => index.set(id, z));
  const z = net.zoneCount;
  const od = new Float64Array(z * z);
  triples.forEach((t, i) => {
    const o = index.get(t.origin);
    const d = index.get(t.destination);
    if (o === undefined) throw invalidInput(`demand[${i}].origin`, `unknown zone '${t.origin}'`);
    if (d === undefined) throw invalidInput(`demand[${i}].destination`, `unknown zone '${t.destination}'`);
    if (!(t.trips >= 0) || !Number.isFinite(t.trips)) throw invalidInput(`demand[${i}].trips`, `trips must be a non-negative number, got ${t.trips}`);
    od[o * z + d] += t.trips;
  });
  return { zoneCount: z, classes: [{ vehicleClass, od }] };
}

/** Resolved per-class cost data the algorithms use. */
export interface ResolvedClass {
  name: string;
  pce: number;
  /** fixed part of the generalized cost per link (toll and distance terms) */
  fixed: Float64Array;
  allowed: Uint8Array | null;
  od: Float64Array;
}

export function resolveClasses(net: AssignmentNetwork, demand: AssignmentDemand): ResolvedClass[] {
  if (demand.zoneCount !== net.zoneCount) throw invalidInput('demand.zoneCount', `demand has ${demand.zoneCount} zones, the network ${net.zoneCount}`);
  if (demand.classes.length === 0) throw invalidInput('demand.classes', 'at least one vehicle class is needed');
  return demand.classes.map((c, k) => {
    const vc = c.vehicleClass;
    const pce = vc.pce ?? 1;
    if (!(pce > 0)) throw invalidInput(`classes[${k}].pce`, 'pce must be positive');
    if (c.od.length !== net.zoneCount * net.zoneCount) throw invalidInput(`classes[${k}].od`, `od must have zones^2 = ${net.zoneCount ** 2} entries`);
    for (let i = 0; i < c.od.length; i++) if (!(c.od[i] >= 0)) throw invalidInput(`classes[${k}].od`, `od entry ${i} is not a non-negative number`);
    const tf = vc.tollFactor ?? net.tollFactor;
    const df = vc.distanceFactor ?? net.distanceFactor;
    if (!(tf >= 0) || !(df >= 0)) throw invalidInput(`classes[${k}]`, 'toll and distance factors must be non-negative');
    const fixed = new Float64Array(net.linkCount);
    if (tf !== 0 || df !== 0) for (let a = 0; a < net.linkCount; a++) fixed[a] = tf * net.toll[a] + df * net.length[a];
    if (vc.allowedLinks && vc.allowedLinks.length !== net.linkCount) throw invalidInput(`classes[${k}].allowedLinks`, 'one entry per link');
    return { name: vc.name, pce, fixed, allowed: vc.allowedLinks ?? null, od: c.od };
  });
}
