import type { ExternalSolution, JobSpec, StopSpec, VrpInstance } from './types.js';

/**
 * Independent feasibility check: recomputes loads, times, windows, pairing, skills and costs from the instance
 * and the routes' stop refs alone. It shares no code with the solver on purpose, so a solver bug cannot hide.
 */
export interface CheckReport {
  feasible: boolean;
  violations: string[];
  vehicles: number;
  distance: number;
  travelTime: number;
  served: number;
  unassigned: number;
}

const EPS = 1e-6;

/** first moment >= t at which service may start, or NaN when every window has closed */
function serviceStart(stop: StopSpec, t: number): number {
  if (stop.windows.length === 0) return t;
  for (const [a, b] of stop.windows) {
    if (t <= b + EPS) return Math.max(t, a);
  }
  return NaN;
}

export function checkSolution(inst: VrpInstance, sol: ExternalSolution): CheckReport {
  const violations: string[] = [];
  const stopByRef = new Map<string, { job: JobSpec; leg: number }>();
  for (const job of inst.jobs) job.stops.forEach((s, leg) => stopByRef.set(String(s.ref), { job, leg }));
  const seen = new Map<string, { route: number; pos: number }>();
  const vehicleIds = new Map(inst.vehicles.map((v, i) => [v.id, i]));
  const usedVehicles = new Set<string>();
  let distance = 0;
  let travelTime = 0;
  let vehicles = 0;

  sol.routes.forEach((route, r) => {
    if (route.stops.length === 0) return;
    const vi = vehicleIds.get(route.vehicle);
    if (vi === undefined) {
      violations.push(`route ${r}: unknown vehicle ${route.vehicle}`);
      return;
    }
    if (usedVehicles.has(route.vehicle)) violations.push(`route ${r}: vehicle ${route.vehicle} used twice`);
    usedVehicles.add(route.vehicle);
    vehicles++;
    const v = inst.vehicles[vi];
    const m = inst.matrices[v.profile];
    if (!m) {
      violations.push(`vehicle ${v.id}: no matrix for profile ${v.profile}`);
      return;
    }
    const stops = route.stops.map((ref) => stopByRef.get(String(ref)));
    const dims = inst.dims;
    const load = new Array<number>(dims).fill(0);
    stops.forEach((s, pos) => {
      const ref = route.stops[pos];
      if (!s) {
        violations.push(`route ${r}: unknown stop ${ref}`);
        return;
      }
      const key = String(ref);
      if (seen.has(key)) violations.push(`stop ${ref} visited twice`);
      seen.set(key, { route: r, pos });
      if (s.job.kind === 'delivery') s.job.amount.forEach((a, d) => (load[d] += a));
      if ((s.job.skills & ~v.skills) !== 0) violations.push(`stop ${ref}: vehicle ${v.id} lacks a required skill`);
      if (s.job.vehicles !== undefined && !s.job.vehicles.includes(vi)) violations.push(`stop ${ref}: vehicle ${v.id} may not serve job ${s.job.id}`);
    });
    let loc = v.startLoc;
    let t = v.shift[0];
    const checkLoad = (where: string) => {
      for (let d = 0; d < dims; d++) {
        if (load[d] > v.capacity[d] + EPS) violations.push(`route ${r} (${v.id}) ${where}: load ${load[d]} > capacity ${v.capacity[d]} (dim ${d})`);
        if (load[d] < -EPS) violations.push(`route ${r} (${v.id}) ${where}: negative load ${load[d]} (dim ${d})`);
      }
    };
    checkLoad('at the start');
    stops.forEach((s, pos) => {
      if (!s) return;
      const stop = s.job.stops[s.leg];
      distance += m.dist[loc * m.n + stop.loc];
      travelTime += m.time[loc * m.n + stop.loc];
      const arrival = t + m.time[loc * m.n + stop.loc];
      const start = serviceStart(stop, arrival);
      if (Number.isNaN(start)) {
        violations.push(`stop ${stop.ref}: arrival ${arrival.toFixed(2)} after its last window closed`);
        t = arrival + stop.service;
      } else {
        t = start + stop.service;
      }
      loc = stop.loc;
      const sign = s.job.kind === 'delivery' || (s.job.kind === 'shipment' && s.leg === 1) ? -1 : 1;
      s.job.amount.forEach((a, d) => (load[d] += sign * a));
      checkLoad(`after stop ${stop.ref}`);
      void pos;
    });
    distance += m.dist[loc * m.n + v.endLoc];
    travelTime += m.time[loc * m.n + v.endLoc];
    const end = t + m.time[loc * m.n + v.endLoc];
    if (end > v.shift[1] + EPS) violations.push(`route ${r} (${v.id}): returns at ${end.toFixed(2)} after the shift end ${v.shift[1]}`);
    if (end - v.shift[0] > v.maxDuration + EPS) violations.push(`route ${r} (${v.id}): lasts ${(end - v.shift[0]).toFixed(2)} > max ${v.maxDuration}`);
  });

  let served = 0;
  const unassignedIds = new Set(sol.unassigned.map((u) => u.job));
  for (const job of inst.jobs) {
    const where = job.stops.map((s) => seen.get(String(s.ref)));
    const visited = where.filter(Boolean).length;
    if (visited === 0) {
      if (!unassignedIds.has(job.id)) violations.push(`job ${job.id} neither served nor reported unassigned`);
      continue;
    }
    if (unassignedIds.has(job.id)) violations.push(`job ${job.id} served and reported unassigned`);
    if (visited !== job.stops.length) {
      violations.push(`job ${job.id}: only ${visited} of its ${job.stops.length} stops are visited`);
      continue;
    }
    if (job.kind === 'shipment') {
      const [p, d] = where as { route: number; pos: number }[];
      if (p.route !== d.route) violations.push(`job ${job.id}: pickup and delivery in different vehicles`);
      else if (p.pos >= d.pos) violations.push(`job ${job.id}: delivery before pickup`);
    }
    served++;
  }
  return { feasible: violations.length === 0, violations, vehicles, distance, travelTime, served, unassigned: inst.jobs.length - served };
}
