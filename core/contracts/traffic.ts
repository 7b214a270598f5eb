/**
 * Socket events, HTTP payloads and bus payloads of the traffic service: types and zod schemas,
 * defined once here and used by the service, the gateway and the clients.
 */
import { z } from 'zod';
import { bboxSchema, latSchema, lonSchema, type Bbox } from './common.js';

export const CONGESTION_LEVELS = ['free', 'slow', 'congested', 'jammed'] as const;
export type CongestionLevel = (typeof CONGESTION_LEVELS)[number];

/** Largest probe batch one HTTP call (or one socket message) may carry. */
export const MAX_PROBE_BATCH = 10_000;
export const MAX_DETECTOR_BATCH = 10_000;

/** Milliseconds since the epoch, or an ISO 8601 date-time string (turned into milliseconds). */
export const timeSchema = z.union([
  z.number({ error: 'must be a number (ms since the epoch) or an ISO date-time' }).finite('must be finite').min(0, 'must be >= 0'),
  z.string().transform((s, ctx) => {
    const t = Date.parse(s);
    if (!Number.isFinite(t)) {
      ctx.addIssue({ code: 'custom', message: 'must be ms since the epoch or an ISO date-time' });
      return z.NEVER;
    }
    return t;
  }),
], { error: 'must be ms since the epoch or an ISO date-time' });

const speedSchema = z.number({ error: 'must be a number (m/s)' }).min(0, 'must be >= 0 m/s').max(100, 'must be <= 100 m/s');
const headingSchema = z.number({ error: 'must be a number (degrees)' }).min(0, 'must be between 0 and 360').max(360, 'must be between 0 and 360');

/** One GPS fix of a probe vehicle. speed in m/s, heading in degrees clockwise from north. */
export interface ProbePing {
  vehicleId: string;
  /** ms since the epoch */
  time: number;
  lon: number;
  lat: number;
  speed?: number;
  heading?: number;
}

export const vehicleIdSchema = z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(128, 'must be at most 128 characters');

export const probePingSchema = z.object({
  vehicleId: vehicleIdSchema,
  time: timeSchema,
  lon: lonSchema,
  lat: latSchema,
  speed: speedSchema.optional(),
  heading: headingSchema.optional(),
});

/** POST /api/traffic/probes */
export const probeBatchSchema = z.object({
  pings: z.array(probePingSchema, { error: 'must be an array of pings' }).min(1, 'must hold at least one ping').max(MAX_PROBE_BATCH, `must hold at most ${MAX_PROBE_BATCH} pings`),
});
export type ProbeBatch = z.infer<typeof probeBatchSchema>;

/** socket `probe:ping` from a vehicle: one fix or { pings: [...] }; the vehicle id comes from the token. */
export const socketPingSchema = probePingSchema.omit({ vehicleId: true });
export const socketProbeSchema = z.union([socketPingSchema, z.object({ pings: z.array(socketPingSchema).min(1).max(MAX_PROBE_BATCH) })]);
export type SocketProbe = z.infer<typeof socketProbeSchema>;

export interface ProbeIngestResult {
  /** pings taken into the matcher */
  accepted: number;
  /** pings older than or equal to the vehicle's last ping (dropped, not an error) */
  stale: number;
  /** per-edge travel-time observations produced by this batch */
  observations: number;
  vehicles: number;
}

/** A detector (loop, radar, camera) measuring one directed edge. */
export interface Detector {
  id: string;
  edge: number;
  name?: string;
  lon?: number;
  lat?: number;
  registeredAt: number;
}

export const detectorIdSchema = z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(128, 'must be at most 128 characters');

export const detectorRegistrationSchema = z.object({
  id: detectorIdSchema,
  edge: z.number({ error: 'must be an edge id' }).int('must be an integer edge id').min(0, 'must be >= 0'),
  name: z.string().max(200).optional(),
  lon: lonSchema.optional(),
  lat: latSchema.optional(),
});
export type DetectorRegistration = z.infer<typeof detectorRegistrationSchema>;

/** POST /api/traffic/detectors */
export const registerDetectorsSchema = z.object({
  detectors: z.array(detectorRegistrationSchema).min(1, 'must hold at least one detector').max(1000, 'must hold at most 1000 detectors'),
});

/**
 * One interval of a detector. flow in vehicles per hour (whole edge), speed in km/h (mean over the
 * interval), occupancy as a fraction 0..1. At least speed, or flow with occupancy, is needed.
 */
export const detectorReadingSchema = z
  .object({
    detectorId: detectorIdSchema,
    /** end of the interval */
    at: timeSchema,
    intervalSeconds: z.number({ error: 'must be a number' }).min(1, 'must be >= 1').max(3600, 'must be <= 3600').default(60),
    flow: z.number({ error: 'must be a number (veh/h)' }).min(0, 'must be >= 0').max(20_000, 'must be <= 20000 veh/h').optional(),
    speedKmh: z.number({ error: 'must be a number (km/h)' }).min(0, 'must be >= 0').max(300, 'must be <= 300 km/h').optional(),
    occupancy: z.number({ error: 'must be a number (fraction 0..1)' }).min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').optional(),
  })
  .refine((r) => r.speedKmh !== undefined || r.flow !== undefined || r.occupancy !== undefined, {
    message: 'must carry speedKmh, flow or occupancy',
    path: ['speedKmh'],
  });
export type DetectorReading = z.infer<typeof detectorReadingSchema>;
/** what a caller sends (intervalSeconds optional, `at` may be an ISO string) */
export type DetectorReadingInput = z.input<typeof detectorReadingSchema>;

/** POST /api/traffic/detectors/readings */
export const detectorReadingsSchema = z.object({
  readings: z.array(detectorReadingSchema).min(1, 'must hold at least one reading').max(MAX_DETECTOR_BATCH, `must hold at most ${MAX_DETECTOR_BATCH} readings`),
});

export interface DetectorIngestResult {
  accepted: number;
  /** readings the estimator's outlier test refused (still counted as received) */
  rejected: number;
}

export type EstimateSource = 'prior' | 'probe' | 'detector' | 'mixed';

/** The live state of one directed edge. */
export interface EdgeState {
  edge: number;
  /** km/h; 0 when closed */
  speedKmh: number;
  /** seconds; null when closed (live weight Infinity) */
  travelTimeSeconds: number | null;
  freeFlowSeconds: number;
  freeFlowSpeedKmh: number;
  /** volume over capacity (detector flow when recent, else inferred from the travel time with BPR) */
  volumeCapacity: number;
  level: CongestionLevel;
  closed: boolean;
  /** 0 (prior only) .. 1 (many recent consistent observations) */
  confidence: number;
  /** ms since the epoch of the last accepted observation; null when none */
  lastUpdate: number | null;
  source: EstimateSource;
  observations: number;
  incidentIds: string[];
}

/** GET /api/traffic/edges?bbox=&limit=&cursor=&level= */
export const trafficEdgesQuerySchema = z.object({
  bbox: bboxSchema,
  limit: z.coerce.number().int().min(1, 'must be >= 1').max(5000, 'must be <= 5000').default(1000),
  cursor: z.coerce.number().int().min(0, 'must be >= 0').default(0),
  /** only edges at this level or worse */
  minLevel: z.enum(CONGESTION_LEVELS).optional(),
});

export const INCIDENT_KINDS = ['accident', 'breakdown', 'roadworks', 'closure', 'hazard', 'event', 'weather', 'other'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export type IncidentStatus = 'active' | 'cleared' | 'expired';

export interface Incident {
  id: string;
  kind: IncidentKind;
  lon: number;
  lat: number;
  /** 1 (minor) .. 5 (major) */
  severity: number;
  lanesBlocked: number;
  /** every lane of the touched edges is blocked, or the operator closed the road */
  closed: boolean;
  edges: number[];
  description?: string;
  reportedAt: number;
  reportedBy: string;
  expiresAt: number;
  status: IncidentStatus;
  endedAt?: number;
  endedBy?: string;
}

/** POST /api/incidents */
export const reportIncidentSchema = z.object({
  lon: lonSchema,
  lat: latSchema,
  kind: z.enum(INCIDENT_KINDS, { error: `must be one of ${INCIDENT_KINDS.join(', ')}` }),
  severity: z.number({ error: 'must be a number 1..5' }).int('must be an integer 1..5').min(1, 'must be between 1 and 5').max(5, 'must be between 1 and 5').default(2),
  lanesBlocked: z.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be >= 0').max(20, 'must be <= 20').default(1),
  /** close every touched edge whatever the lanes */
  closeRoad: z.boolean().default(false),
  expectedDurationMinutes: z.number({ error: 'must be a number of minutes' }).min(1, 'must be >= 1').max(60 * 24 * 30, 'must be <= 43200').default(60),
  description: z.string().max(500, 'must be at most 500 characters').optional(),
  /** snap radius around lon/lat, metres */
  radiusMetres: z.number().min(1, 'must be >= 1').max(500, 'must be <= 500').default(30),
  /** both directions of the road (default) or only the nearest edge's */
  bothDirections: z.boolean().default(true),
});
export type ReportIncidentInput = z.input<typeof reportIncidentSchema>;

/** GET /api/incidents?status=active|all */
export const incidentsQuerySchema = z.object({
  status: z.enum(['active', 'all']).default('active'),
});

/** Who did something, for the audit log. */
export interface Actor {
  who: string;
  ip?: string;
}

/** socket `traffic:subscribe` */
export const trafficSubscribeSchema = z.object({ bbox: bboxSchema });
export type TrafficSubscribe = z.infer<typeof trafficSubscribeSchema>;

/** One edge in a `traffic:update` socket message; seconds is null for a closed edge (JSON has no Infinity). */
export interface TrafficUpdateEdge {
  edge: number;
  seconds: number | null;
  speedKmh: number;
  level: CongestionLevel;
  closed: boolean;
}

export interface TrafficUpdateMessage {
  version: number;
  at: number;
  bbox: Bbox;
  edges: TrafficUpdateEdge[];
}

export interface TrafficSubscribeAck {
  ok: true;
  room: string;
  bbox: Bbox;
}

export interface SocketErrorAck {
  ok: false;
  code: string;
  message: string;
  field?: string;
}
