/**
 * Socket events, HTTP payloads and bus payloads of the routing service: types and zod schemas,
 * defined once here and used by the service, the gateway and the clients.
 * Messages start with "must ..." so the gateway reports them as "from.lat must be between -90 and 90".
 */
import { z } from 'zod';

export const ROAD_MODES = ['car', 'truck', 'bike', 'foot'] as const;
export type RoadMode = (typeof ROAD_MODES)[number];

const lon = z
  .number({ error: 'must be a number' })
  .refine((v) => Number.isFinite(v) && v >= -180 && v <= 180, { message: 'must be between -180 and 180' });
const lat = z
  .number({ error: 'must be a number' })
  .refine((v) => Number.isFinite(v) && v >= -90 && v <= 90, { message: 'must be between -90 and 90' });

export const lonLatSchema = z.object({ lon, lat }, { error: 'must be an object { lon, lat }' });
export type LonLat = z.infer<typeof lonLatSchema>;

export const roadModeSchema = z.enum(ROAD_MODES, { error: 'must be one of car, truck, bike, foot' });

export const truckProfileSchema = z.object({
  /** tonnes, 0 = not checked */
  weight: z.number({ error: 'must be a number' }).min(0, { error: 'must be >= 0' }).max(100, { error: 'must be <= 100' }).default(0),
  /** metres, 0 = not checked */
  height: z.number({ error: 'must be a number' }).min(0, { error: 'must be >= 0' }).max(10, { error: 'must be <= 10' }).default(0),
});
export type TruckProfile = z.infer<typeof truckProfileSchema>;

const position = z.array(z.number({ error: 'must be a number' }), { error: 'must be a [lon, lat] position' }).min(2, { error: 'must be a [lon, lat] position' });
const ring = z.array(position, { error: 'must be a ring of positions' }).min(4, { error: 'must have at least 4 positions (closed ring)' });
export const avoidPolygonSchema = z.union(
  [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
  ],
  { error: 'must be a GeoJSON Polygon or MultiPolygon geometry' },
);
export type AvoidPolygon = z.infer<typeof avoidPolygonSchema>;

export const avoidSchema = z.object({
  /** edge ids to treat as closed for this request (on top of live closures) */
  edges: z.array(z.number().int({ error: 'must be an integer edge id' }).min(0, { error: 'must be an edge id >= 0' })).max(100_000).optional(),
  /** areas the route must not enter (GeoJSON Polygon / MultiPolygon geometries) */
  areas: z.array(avoidPolygonSchema).max(50, { error: 'must hold at most 50 areas' }).optional(),
});
export type AvoidOptions = z.infer<typeof avoidSchema>;

export const routeRequestSchema = z.object({
  from: lonLatSchema,
  to: lonLatSchema,
  via: z.array(lonLatSchema).max(10, { error: 'must hold at most 10 points' }).optional(),
  mode: roadModeSchema.default('car'),
  truck: truckProfileSchema.optional(),
  /** how many alternatives besides the best (0..3) */
  alternatives: z.number().int({ error: 'must be an integer' }).min(0, { error: 'must be between 0 and 3' }).max(3, { error: 'must be between 0 and 3' }).default(0),
  avoid: avoidSchema.optional(),
  /** departure time, ms since epoch; default now */
  departAt: z.number({ error: 'must be a time in ms since epoch' }).int({ error: 'must be an integer (ms since epoch)' }).optional(),
  algorithm: z.enum(['fast', 'reference'], { error: 'must be fast or reference' }).default('fast'),
  /** how far (m) an end point may lie from a usable road */
  maxSnapMetres: z.number().positive({ error: 'must be > 0' }).max(5000, { error: 'must be <= 5000' }).default(500),
});
export type RouteRequestInput = z.input<typeof routeRequestSchema>;
export type RouteRequest = z.infer<typeof routeRequestSchema>;

export type TurnDirection =
  | 'depart' | 'arrive' | 'straight' | 'slight-left' | 'left' | 'sharp-left' | 'slight-right' | 'right' | 'sharp-right' | 'u-turn' | 'roundabout' | 'via';

export interface Instruction {
  type: TurnDirection;
  /** for type 'roundabout': which exit to take (1 = first) */
  exit?: number;
  /** street being entered ('' when unnamed) */
  name: string;
  ref?: string;
  /** human sentence, English */
  text: string;
  /** where the manoeuvre happens */
  lon: number;
  lat: number;
  /** metres and seconds from this instruction to the next */
  distance: number;
  duration: number;
  /** turn angle, degrees: negative left, positive right */
  angle?: number;
}

export interface LineString {
  type: 'LineString';
  coordinates: [number, number][];
}

export interface RouteLeg {
  seconds: number;
  metres: number;
}

export interface RoadRoute {
  /** seconds and metres for the whole route */
  seconds: number;
  metres: number;
  departAt: number;
  arriveAt: number;
  geometry: LineString;
  instructions: Instruction[];
  /** traversed edges in order; reversed[i] when edge i is walked against its direction (foot only) */
  edges: number[];
  reversed: boolean[];
  legs: RouteLeg[];
  /** 'live' (current live times), 'forecast' (departure within the hour), 'free-flow' (later) */
  weights: 'live' | 'forecast' | 'free-flow' | 'mode-speed';
}

export interface SnapInfo {
  edge: number;
  lon: number;
  lat: number;
  distance: number;
  fraction: number;
}

export type RouteResult =
  | { found: true; mode: RoadMode; algorithm: 'fast' | 'reference'; best: RoadRoute; alternatives: RoadRoute[]; snapped: { from: SnapInfo; to: SnapInfo; via: SnapInfo[] } }
  | { found: false; mode: RoadMode; reason: string };

export const matrixRequestSchema = z.object({
  points: z
    .array(z.tuple([lon, lat], { error: 'must be a [lon, lat] pair' }), { error: 'must be an array of [lon, lat] pairs' })
    .min(1, { error: 'must hold at least 1 point' })
    .max(500, { error: 'must hold at most 500 points' }),
  mode: roadModeSchema.default('car'),
  truck: truckProfileSchema.optional(),
  maxSnapMetres: z.number().positive({ error: 'must be > 0' }).max(5000, { error: 'must be <= 5000' }).default(500),
});
export type MatrixRequestInput = z.input<typeof matrixRequestSchema>;
export type MatrixRequest = z.infer<typeof matrixRequestSchema>;

/** Row-major n x n; Infinity (null in JSON) when j is unreachable from i. */
export interface MatrixResult {
  n: number;
  mode: RoadMode;
  seconds: Float64Array;
  metres: Float64Array;
}

export interface MatrixResponseJson {
  n: number;
  mode: RoadMode;
  seconds: (number | null)[][];
  metres: (number | null)[][];
}

export const isochroneRequestSchema = z.object({
  from: lonLatSchema,
  minutes: z.number({ error: 'must be a number' }).positive({ error: 'must be > 0' }).max(120, { error: 'must be <= 120' }),
  mode: roadModeSchema.default('car'),
  truck: truckProfileSchema.optional(),
  maxSnapMetres: z.number().positive({ error: 'must be > 0' }).max(5000, { error: 'must be <= 5000' }).default(500),
});
export type IsochroneRequestInput = z.input<typeof isochroneRequestSchema>;
export type IsochroneRequest = z.infer<typeof isochroneRequestSchema>;

export interface IsochroneResult {
  type: 'Feature';
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] } | null;
  properties: { minutes: number; mode: RoadMode; reachableEdges: number; points: number; method: 'concave-hull' | 'convex-hull' | 'none' };
}

// ---- live guidance (socket.io) ----

export const guidanceStartSchema = routeRequestSchema.extend({
  /** reroute only when the new route saves more than both thresholds */
  rerouteSeconds: z.number().min(0, { error: 'must be >= 0' }).default(120),
  rerouteFraction: z.number().min(0, { error: 'must be >= 0' }).max(1, { error: 'must be <= 1' }).default(0.1),
});
export type GuidanceStartInput = z.input<typeof guidanceStartSchema>;
export type GuidanceStart = z.infer<typeof guidanceStartSchema>;

export const guidancePositionSchema = z.object({ lon, lat, /** ms since epoch; default server time */ at: z.number().optional() });
export type GuidancePosition = z.infer<typeof guidancePositionSchema>;

export interface GuidanceEta {
  sessionId: string;
  /** seconds still to go and the arrival time, ms since epoch */
  remainingSeconds: number;
  arriveAt: number;
  /** why it was sent */
  cause: 'position' | 'traffic:update' | 'traffic:incident' | 'start';
}

export interface GuidanceReroute {
  sessionId: string;
  route: RoadRoute;
  /** seconds the old route would still take (Infinity -> null when closed) */
  previousSeconds: number | null;
  savedSeconds: number | null;
  cause: 'traffic:update' | 'traffic:incident' | 'off-route';
}

export interface GuidanceProgress {
  sessionId: string;
  /** index into route.edges of the edge being travelled */
  edgeIndex: number;
  offRoute: boolean;
  remainingSeconds: number;
  remainingMetres: number;
}

/** Events the server emits to a guided client. */
export interface GuidanceServerEvents {
  'guidance:started': (payload: { sessionId: string; route: RoadRoute }) => void;
  'guidance:eta': (payload: GuidanceEta) => void;
  'guidance:reroute': (payload: GuidanceReroute) => void;
  'guidance:progress': (payload: GuidanceProgress) => void;
  'guidance:error': (payload: { code: string; message: string; field?: string }) => void;
  'guidance:ended': (payload: { sessionId: string; reason: string }) => void;
}

/** Events a guided client sends. */
export interface GuidanceClientEvents {
  'guidance:start': (payload: GuidanceStartInput) => void;
  'guidance:position': (payload: GuidancePosition) => void;
  'guidance:stop': () => void;
}
export * from './routing-transit.js';
