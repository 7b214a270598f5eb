import { UrbanflowError } from '../../../core/errors/index.js';
import type { Hub, Order, Plan, PlanStop, Vehicle } from '../../../core/contracts/logistics.js';
import type { JobSpec, StopSpec, TimeWindow, TravelMatrices, VehicleSpec, VrpInstance } from '../vrp/types.js';

/**
 * Turns the live dispatch state (hubs, fleet, orders, current plans) into a VrpInstance on the live travel matrix.
 * Instance time is seconds after `now`. Stops a vehicle has started or is driving to stay fixed: they become a
 * prefix of its route, and the vehicle "starts" where that prefix ends. Orders already on board must be delivered
 * by the same vehicle.
 */
export type TravelMatrix = (points: [number, number][], mode: 'car' | 'truck') => Promise<{ seconds: Float64Array; metres: Float64Array }>;

export interface FixedPrefix {
  stops: PlanStop[];
  /** instance time (s) when the vehicle leaves the last fixed stop */
  readyAt: number;
  /** distance driven along the prefix (m) */
  metres: number;
}

export interface BuiltInstance {
  inst: VrpInstance;
  now: number;
  /** per vehicle index */
  vehicleIds: string[];
  prefixes: FixedPrefix[];
  /** location index -> [lon, lat] */
  points: [number, number][];
  /** stop ref -> order id and leg */
  stopRefs: Map<string, { orderId: string; kind: 'pickup' | 'delivery' }>;
  /** order id -> job id; orders that could not even be posed (e.g. their windows are over) with the reason */
  skipped: { orderId: string; reason: string }[];
}

export const ACTIVE_FOR_PLANNING = new Set(['pending', 'planned', 'unassigned', 'picked-up']);

/** seconds after midnight (UTC) -> the opening interval in force at or after `at` (ms) */
export function hubOpenInterval(hub: Hub, at: number): [number, number] {
  const day = Math.floor(at / 86400000) * 86400000;
  for (let d = 0; d < 3; d++) {
    const open = day + d * 86400000 + hub.opening[0] * 1000;
    const close = day + d * 86400000 + hub.opening[1] * 1000;
    if (close > at) return [open, close];
  }
  return [at, at];
}

const AT_HUB_METRES = 300;

export async function buildInstance(args: {
  now: number;
  hubs: Hub[];
  vehicles: Vehicle[];
  orders: Order[];
  plans: Map<string, Plan>;
  travelMatrix: TravelMatrix;
  skillBits: (names: string[]) => number;
}): Promise<BuiltInstance> {
  const { now, hubs, orders, plans } = args;
  const hubIndex = new Map(hubs.map((h, i) => [h.id, i]));
  const points: [number, number][] = hubs.map((h) => h.location);
  const addPoint = (p: [number, number]) => points.push(p) - 1;
  const sec = (ms: number) => (ms - now) / 1000;
  const byId = new Map(orders.map((o) => [o.id, o]));
  const vehicles = args.vehicles.filter((v) => hubIndex.has(v.hubId) && v.shift[1] > now);
  const committedOrders = new Set<string>();

  // 1. vehicles: start where the fixed prefix ends
  const vehicleStart: number[] = [];
  const prefixStops: PlanStop[][] = [];
  const prefixLocs: number[][] = [];
  const atHub: boolean[] = [];
  for (const v of vehicles) {
    const plan = plans.get(v.id);
    const live = (s: PlanStop) => {
      const o = byId.get(s.orderId);
      return o !== undefined && (ACTIVE_FOR_PLANNING.has(o.status) || o.status === 'arrived');
    };
    const fixed = (plan?.stops ?? []).filter((s) => (s.committed || s.status === 'arrived') && s.status !== 'done' && s.status !== 'failed' && live(s));
    for (const s of fixed) committedOrders.add(`${s.orderId}:${s.kind}`);
    const hubLoc = hubIndex.get(v.hubId)!;
    const away = v.position !== undefined && haversine(v.position, hubs[hubLoc].location) > AT_HUB_METRES;
    const start = away ? addPoint(v.position!) : hubLoc;
    vehicleStart.push(start);
    prefixStops.push(fixed);
    prefixLocs.push(fixed.map((s) => addPoint(s.location)));
    atHub.push(!away && fixed.length === 0);
  }

  // 2. jobs
  const stopRefs = new Map<string, { orderId: string; kind: 'pickup' | 'delivery' }>();
  const jobs: JobSpec[] = [];
  const skipped: { orderId: string; reason: string }[] = [];
  const windowsOf = (ws: [number, number][]): TimeWindow[] | null => {
    if (ws.length === 0) return [];
    const open = ws.filter(([, b]) => b > now).map(([a, b]) => [Math.max(0, sec(a)), sec(b)] as TimeWindow).sort((x, y) => x[0] - y[0]);
    return open.length > 0 ? open : null;
  };
  const jobStops: { job: JobSpec; locs: [number, number][] }[] = [];
  for (const o of orders) {
    if (!ACTIVE_FOR_PLANNING.has(o.status)) continue;
    if (committedOrders.has(`${o.id}:delivery`)) continue; // its delivery is fixed in a prefix
    const dw = windowsOf(o.delivery.windows);
    if (dw === null) {
      skipped.push({ orderId: o.id, reason: 'delivery windows have all closed' });
      continue;
    }
    const amount = [o.size.kg, o.size.m3 ?? 0];
    const skills = args.skillBits(o.skills);
    const priority = o.priority;
    const dRef = `${o.id}:delivery`;
    const dStop: StopSpec = { ref: dRef, loc: -1, service: o.delivery.serviceSeconds, windows: dw };
    const onBoard = o.status === 'picked-up' || committedOrders.has(`${o.id}:pickup`);
    if (onBoard) {
      // on board (or about to be): the same vehicle delivers it, loaded from its start
      const vi = vehicles.findIndex((v) => v.id === o.vehicleId);
      if (vi < 0) {
        skipped.push({ orderId: o.id, reason: `on board of vehicle ${o.vehicleId ?? '?'}, which is not available` });
        continue;
      }
      jobStops.push({ job: { id: o.id, kind: 'delivery', amount, stops: [dStop], skills: 0, priority: 4, vehicles: [vi] }, locs: [o.delivery.location] });
    } else if ('hubId' in o.pickup) {
      const hubId = o.hubId ?? (o.pickup.hubId === 'any' ? undefined : o.pickup.hubId);
      const allowed = vehicles.map((v, i) => (v.hubId === hubId && atHub[i] ? i : -1)).filter((i) => i >= 0);
      jobStops.push({ job: { id: o.id, kind: 'delivery', amount, stops: [dStop], skills, priority, vehicles: allowed }, locs: [o.delivery.location] });
    } else {
      const pw = windowsOf(o.pickup.windows);
      if (pw === null) {
        skipped.push({ orderId: o.id, reason: 'pickup windows have all closed' });
        continue;
      }
      const pStop: StopSpec = { ref: `${o.id}:pickup`, loc: -1, service: o.pickup.serviceSeconds, windows: pw };
      stopRefs.set(`${o.id}:pickup`, { orderId: o.id, kind: 'pickup' });
      jobStops.push({ job: { id: o.id, kind: 'shipment', amount, stops: [pStop, dStop], skills, priority }, locs: [o.pickup.location, o.delivery.location] });
    }
    stopRefs.set(dRef, { orderId: o.id, kind: 'delivery' });
  }
  for (const { job, locs } of jobStops) {
    job.stops.forEach((s, k) => (s.loc = addPoint(locs[k])));
    jobs.push(job);
  }

  // 3. travel matrices, one per mode in the fleet
  const modes = [...new Set(vehicles.map((v) => v.mode))];
  if (modes.length === 0) modes.push('truck');
  const matrices: TravelMatrices[] = [];
  for (const mode of modes) {
    const m = await args.travelMatrix(points, mode);
    const n = points.length;
    if (m.seconds.length !== n * n || m.metres.length !== n * n) throw new UrbanflowError('UNAVAILABLE', `travel matrix for ${mode} has the wrong size`, { retryable: true });
    matrices.push({ n, time: m.seconds, dist: m.metres });
  }

  // 4. vehicles with their fixed prefixes
  const specs: VehicleSpec[] = [];
  const prefixes: FixedPrefix[] = [];
  vehicles.forEach((v, i) => {
    const profile = modes.indexOf(v.mode);
    const m = matrices[profile];
    const hub = hubs[hubIndex.get(v.hubId)!];
    const [open, close] = hubOpenInterval(hub, Math.max(now, v.shift[0]));
    let t = Math.max(0, sec(v.shift[0]), atHub[i] ? sec(open) : 0);
    let loc = vehicleStart[i];
    let metres = 0;
    const fixed = prefixStops[i].map((s, k) => {
      const l = prefixLocs[i][k];
      if (s.status !== 'arrived') {
        t += m.time[loc * m.n + l];
        metres += m.dist[loc * m.n + l];
      }
      const service = serviceOf(byId.get(s.orderId), s.kind);
      const eta = s.status === 'arrived' ? s.eta : now + t * 1000;
      loc = l;
      const startAt = Math.max(eta, now);
      t = Math.max(t, sec(startAt)) + service;
      return { ...s, eta, start: startAt };
    });
    prefixes.push({ stops: fixed, readyAt: t, metres });
    const end = Math.min(sec(v.shift[1]), sec(close));
    specs.push({
      id: v.id,
      startLoc: loc,
      endLoc: hubIndex.get(v.hubId)!,
      shift: [t, Math.max(t, end)],
      maxDuration: v.maxDurationSeconds ?? Infinity,
      capacity: [v.capacity.kg, v.capacity.m3 ?? 0],
      skills: args.skillBits(v.skills),
      fixedCost: v.fixedCost,
      costPerDistance: v.costPerKm / 1000,
      costPerTime: 0,
      profile,
    });
  });
  // capacity already used by on-board orders whose delivery is fixed is outside the instance: the prefix drops
  // them before the vehicle "starts", so the instance only carries what is still to be delivered.

  return {
    inst: { name: 'dispatch', format: 'dispatch', dims: 2, matrices, vehicles: specs, jobs },
    now,
    vehicleIds: vehicles.map((v) => v.id),
    prefixes,
    points,
    stopRefs,
    skipped,
  };
}

function serviceOf(o: Order | undefined, kind: 'pickup' | 'delivery'): number {
  if (!o) return 0;
  if (kind === 'delivery') return o.delivery.serviceSeconds;
  return 'hubId' in o.pickup ? 0 : o.pickup.serviceSeconds;
}

export function haversine(a: [number, number], b: [number, number]): number {
  const R = 6371008.8;
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLon = (b[0] - a[0]) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
