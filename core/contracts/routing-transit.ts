/**
 * Public transport and multimodal planning payloads of the routing service (re-exported by
 * core/contracts/routing.ts): POST /api/plan, POST /api/transit, and the transit alert of live
 * guidance. Times in responses are ISO 8601 with the feed's local offset plus ms since epoch.
 */
import { z } from 'zod';

export const PLAN_MODES = ['walk', 'bike', 'car', 'transit', 'bike+transit', 'park+ride'] as const;
export type PlanMode = (typeof PLAN_MODES)[number];
export type PlanLegMode = 'walk' | 'bike' | 'car' | 'transit';

const lon = z.number({ error: 'must be a number' }).refine((v) => Number.isFinite(v) && v >= -180 && v <= 180, { message: 'must be between -180 and 180' });
const lat = z.number({ error: 'must be a number' }).refine((v) => Number.isFinite(v) && v >= -90 && v <= 90, { message: 'must be between -90 and 90' });
const point = z.object({ lon, lat }, { error: 'must be an object { lon, lat }' });

/** ms since epoch, or ISO 8601 ("2016-11-01T08:00" is local to the feed's timezone) */
const when = z.union([
  z.number({ error: 'must be ms since epoch or an ISO 8601 time' }).int({ error: 'must be an integer (ms since epoch)' }),
  z.string({ error: 'must be ms since epoch or an ISO 8601 time' }).regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, { error: 'must be an ISO 8601 time like 2016-11-01T08:00' }),
], { error: 'must be ms since epoch or an ISO 8601 time' });

export const planRequestSchema = z.object({
  from: point,
  to: point,
  /** departure; default now */
  departAt: when.optional(),
  /** which options to consider; default all */
  modes: z.array(z.enum(PLAN_MODES, { error: `must be one of ${PLAN_MODES.join(', ')}` })).min(1, { error: 'must name at least one mode' }).optional(),
  /** longest access or egress walk, minutes */
  maxWalkMinutes: z.number({ error: 'must be a number' }).min(0, { error: 'must be >= 0' }).max(60, { error: 'must be <= 60' }).default(15),
  /** most trips (vehicles) in one journey */
  maxTrips: z.number().int({ error: 'must be an integer' }).min(1, { error: 'must be between 1 and 10' }).max(10, { error: 'must be between 1 and 10' }).default(6),
  /** extra seconds kept for every change of vehicle */
  transferSlackSeconds: z.number().min(0, { error: 'must be >= 0' }).max(1800, { error: 'must be <= 1800' }).default(60),
});
export type PlanRequestInput = z.input<typeof planRequestSchema>;
export type PlanRequest = z.infer<typeof planRequestSchema>;

export const transitRequestSchema = z.object({
  fromStop: z.string({ error: 'must be a stop_id' }).min(1, { error: 'must be a stop_id' }),
  toStop: z.string({ error: 'must be a stop_id' }).min(1, { error: 'must be a stop_id' }),
  departAt: when.optional(),
  /** > 0: range query, every Pareto-optimal journey departing within this many minutes */
  windowMinutes: z.number().min(0, { error: 'must be >= 0' }).max(720, { error: 'must be <= 720' }).default(0),
  maxTrips: z.number().int({ error: 'must be an integer' }).min(1, { error: 'must be between 1 and 10' }).max(10, { error: 'must be between 1 and 10' }).default(8),
  transferSlackSeconds: z.number().min(0, { error: 'must be >= 0' }).max(1800, { error: 'must be <= 1800' }).default(0),
});
export type TransitRequestInput = z.input<typeof transitRequestSchema>;
export type TransitRequest = z.infer<typeof transitRequestSchema>;

export interface PlanPlace {
  name: string;
  lon: number;
  lat: number;
  stopId?: string;
}

export interface PlanLeg {
  mode: PlanLegMode;
  from: PlanPlace;
  to: PlanPlace;
  /** ISO 8601 with offset, and ms since epoch */
  departure: string;
  arrival: string;
  departureMs: number;
  arrivalMs: number;
  seconds: number;
  metres?: number;
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  /** transit legs */
  routeId?: string;
  routeName?: string;
  routeType?: number;
  tripId?: string;
  headsign?: string;
  /** GTFS service date YYYYMMDD of the trip */
  serviceDate?: string;
  /** seconds the trip runs late by realtime, at boarding */
  delaySeconds?: number;
  /** stops passed, boarding and alighting included */
  stops?: { stopId: string; name: string; arrival: string; departure: string }[];
}

export interface PlanOption {
  mode: PlanMode;
  departure: string;
  arrival: string;
  departureMs: number;
  arrivalMs: number;
  seconds: number;
  /** vehicle changes (transit trips - 1; 0 without transit) */
  transfers: number;
  walkMetres: number;
  legs: PlanLeg[];
}

export interface PlanResult {
  from: { lon: number; lat: number };
  to: { lon: number; lat: number };
  departAt: string;
  /** best first (earliest arrival, then fewer transfers) */
  options: PlanOption[];
  /** why a mode has no option, footpath method, realtime state ... */
  notes: string[];
}

export interface TransitResult {
  fromStop: PlanPlace;
  toStop: PlanPlace;
  departAt: string;
  /** Pareto set over arrival and transfers (or over departure too for a range query) */
  journeys: PlanOption[];
  found: boolean;
}

/** guidance:transit-alert: a planned connection no longer holds under realtime data. */
export interface TransitAlert {
  /** index of the leg that can no longer be caught */
  brokenLeg: number;
  reason: 'missed-connection' | 'cancelled' | 'skipped-stop';
  message: string;
  /** new arrival at the destination with the planned journey as it stands (null when broken) */
  plannedArrival: string | null;
  /** the next best option from where the traveller will be, or null when none */
  alternative: PlanOption | null;
}

/** What a loaded feed looks like (GET-style info for operators and the CLI). */
export interface TransitInfo {
  agencies: string[];
  timezone: string;
  stops: number;
  routes: number;
  trips: number;
  stopTimes: number;
  firstDate: string;
  lastDate: string;
  footpaths: { method: 'network' | 'straight-line'; links: number; unsnapped: number };
  realtime: { version: number; trips: number; at: string | null };
  notes: string[];
}

export interface RealtimeSummary {
  at: string;
  entities: number;
  tripsMatched: number;
  tripsUnmatched: number;
  stopUpdatesApplied: number;
  tripsDelayed: number;
  cancelled: number;
  skippedStops: number;
}

/**
 * Public transport and multimodal planning as the routing service exposes it (service.transit,
 * present when the service was given a GTFS feed). Inputs are validated here too.
 */
export interface TransitApi {
  plan(request: PlanRequestInput, now?: number): Promise<PlanResult>;
  transit(request: TransitRequestInput, now?: number): TransitResult;
  /** applies a GTFS-Realtime TripUpdates message and publishes 'gtfs:realtime' */
  applyGtfsRealtime(bytes: Uint8Array): Promise<RealtimeSummary>;
  /** live guidance for a planned journey: null while it holds (for 'guidance:transit-alert') */
  checkJourney(option: PlanOption, now?: number): TransitAlert | null;
  /**
   * live guidance: re-checks the journey on every 'gtfs:realtime' event and calls the listener with
   * each new problem (emit it as 'guidance:transit-alert'); close() when the session ends
   */
  watchJourney(option: PlanOption, listener: (alert: TransitAlert) => void): { close(): void };
  info(): TransitInfo;
}

const placeSchema = z.object({ name: z.string(), lon: z.number(), lat: z.number(), stopId: z.string().optional() }, { error: 'must be a place { name, lon, lat, stopId? }' });

/** A planned option handed back for a realtime check (POST /api/transit/check): the fields the check reads. */
export const transitCheckSchema = z.object({
  option: z.looseObject({
    mode: z.enum(PLAN_MODES, { error: `must be one of ${PLAN_MODES.join(', ')}` }),
    legs: z.array(z.looseObject({
      mode: z.enum(['walk', 'bike', 'car', 'transit'], { error: 'must be walk, bike, car or transit' }),
      from: placeSchema,
      to: placeSchema,
      departureMs: z.number({ error: 'must be ms since epoch' }),
      arrivalMs: z.number({ error: 'must be ms since epoch' }),
      tripId: z.string().optional(),
      serviceDate: z.string().regex(/^\d{8}$/, { error: 'must be YYYYMMDD' }).optional(),
    }), { error: 'must be an array of legs' }).min(1, { error: 'must hold at least one leg' }),
  }, { error: 'must be a plan option as returned by /api/plan' }),
  /** ms since epoch; default now */
  now: z.number({ error: 'must be ms since epoch' }).int().optional(),
});
export type TransitCheckInput = z.input<typeof transitCheckSchema>;

/** Socket events of transit guidance (gateway/sockets wires them to service.transit.watchJourney). */
export interface TransitGuidanceServerEvents {
  /** the watched journey broke under realtime data; `alternative` is the next best option */
  'guidance:transit-alert': (payload: TransitAlert) => void;
}

export interface TransitGuidanceClientEvents {
  /** watch a planned option (as returned by /api/plan or /api/transit; validate with transitCheckSchema) */
  'guidance:transit-watch': (payload: { option: PlanOption }) => void;
}
