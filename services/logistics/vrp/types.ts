/**
 * The format-neutral description of a vehicle-routing instance. Readers (Solomon, Li & Lim, CVRPLIB) and the
 * dispatch service both produce it; the solver compiles it to typed arrays; the checker reads only this.
 * Times and distances are in the instance's own units (seconds and metres for dispatch).
 */
export type TimeWindow = [start: number, end: number];

/** One place a vehicle stops at. `ref` is the id the outside world uses (customer number, order id + leg). */
export interface StopSpec {
  ref: number | string;
  /** row/column in the travel matrices */
  loc: number;
  /** service time; service must START inside one of the windows */
  service: number;
  /** sorted, disjoint; empty = any time */
  windows: TimeWindow[];
}

/**
 * delivery: loaded at the vehicle's start hub, dropped at the stop.
 * pickup: picked up at the stop, unloaded at the vehicle's end hub.
 * shipment: picked up at stops[0] and delivered at stops[1] by the same vehicle, pickup first.
 */
export type JobKind = 'delivery' | 'pickup' | 'shipment';

export interface JobSpec {
  id: string;
  kind: JobKind;
  /** one entry per capacity dimension */
  amount: number[];
  stops: StopSpec[];
  /** bitmask of required skills (vehicle must have all of them) */
  skills: number;
  /** 0 (lowest) .. MAX_PRIORITY; higher priorities are served first when not everything fits */
  priority: number;
  /** only these vehicles (indexes into VrpInstance.vehicles) may serve it; absent = any */
  vehicles?: number[];
}

export interface VehicleSpec {
  id: string;
  startLoc: number;
  endLoc: number;
  /** departure from startLoc not before shift[0], arrival at endLoc not after shift[1] */
  shift: TimeWindow;
  /** arrival at the end minus shift start (conservative: departure counted at shift start) */
  maxDuration: number;
  capacity: number[];
  skills: number;
  fixedCost: number;
  costPerDistance: number;
  costPerTime: number;
  /** which matrix pair the vehicle drives on (car, truck ...) */
  profile: number;
}

export interface TravelMatrices {
  /** number of locations; matrices are row-major n×n */
  n: number;
  time: Float64Array;
  dist: Float64Array;
}

export interface VrpInstance {
  name: string;
  format: 'solomon' | 'lilim' | 'cvrplib' | 'dispatch';
  dims: number;
  matrices: TravelMatrices[];
  vehicles: VehicleSpec[];
  jobs: JobSpec[];
  /** optional planar coordinates per location (x, y interleaved), for readers' instances */
  coords?: Float64Array;
}

export const MAX_PRIORITY = 4;

/** A solution in the outside world's terms: stop refs per vehicle, in visiting order, hubs excluded. */
export interface ExternalRoute {
  vehicle: string;
  stops: (number | string)[];
}

export interface ExternalSolution {
  routes: ExternalRoute[];
  unassigned: { job: string; reason: string }[];
}
