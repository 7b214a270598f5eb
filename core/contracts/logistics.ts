/**
 * Socket events, HTTP payloads and bus payloads of the logistics service: types and zod schemas,
 * defined once here and used by the service, the gateway and the clients.
 * Times are epoch milliseconds; positions are [lon, lat]; sizes are kg and m³.
 */
import { z } from 'zod';

const lon = z.number().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180');
const lat = z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90');
export const lonLatSchema = z.tuple([lon, lat]);
const time = z.number().int('must be epoch milliseconds').nonnegative('must be epoch milliseconds');
export const windowSchema = z
  .tuple([time, time])
  .refine(([a, b]) => b >= a, { message: 'ends before it starts' });
const id = z.string().min(1, 'must not be empty').max(80, 'must be at most 80 characters').regex(/^[\w.:-]+$/, 'may hold letters, digits, _ . : - only');
const skills = z.array(z.string().min(1).max(40)).max(16).default([]);

export const sizeSchema = z.object({
  kg: z.number().positive('must be positive').max(1e6),
  m3: z.number().nonnegative('must not be negative').max(1e4).default(0),
});
export type Size = z.infer<typeof sizeSchema>;

export const hubSchema = z.object({
  id,
  name: z.string().max(200).optional(),
  location: lonLatSchema,
  /** daily opening hours in seconds after midnight (UTC), e.g. [21600, 79200] for 06:00-22:00 */
  opening: z.tuple([z.number().min(0).max(86400), z.number().min(0).max(86400)]).refine(([a, b]) => b > a, { message: 'closes before it opens' }).default([0, 86400]),
  docks: z.number().int().positive('must be a positive integer').default(4),
});
export type HubInput = z.input<typeof hubSchema>;
export type Hub = z.infer<typeof hubSchema>;

export const vehicleSchema = z.object({
  id,
  hubId: id,
  mode: z.enum(['car', 'truck']).default('truck'),
  capacity: sizeSchema,
  shift: windowSchema,
  skills,
  /** costs: per km and per vehicle used (only the distance objective weighs the fixed cost) */
  costPerKm: z.number().nonnegative().default(1),
  fixedCost: z.number().nonnegative().default(0),
  maxDurationSeconds: z.number().positive().optional(),
});
export type VehicleInput = z.input<typeof vehicleSchema>;
export type VehicleSpecInput = z.infer<typeof vehicleSchema>;

export interface Vehicle extends VehicleSpecInput {
  position?: [number, number];
  positionAt?: number;
}

const placeSchema = z.object({
  location: lonLatSchema,
  windows: z.array(windowSchema).max(8).default([]),
  serviceSeconds: z.number().nonnegative().max(86400).default(300),
});

export const createOrderSchema = z.object({
  id: id.optional(),
  shipper: z.string().min(1, 'must not be empty').max(120),
  /** pick up at a hub (hubId, or 'any' to let dispatch choose the hub that serves the destination best) or at an address */
  pickup: z.union([z.object({ hubId: z.union([id, z.literal('any')]) }), placeSchema]),
  delivery: placeSchema,
  size: sizeSchema,
  priority: z.number().int().min(0).max(4).default(0),
  skills,
});
export type CreateOrderInput = z.input<typeof createOrderSchema>;
export type CreateOrder = z.infer<typeof createOrderSchema>;

export type OrderStatus = 'pending' | 'planned' | 'unassigned' | 'arrived' | 'picked-up' | 'delivered' | 'failed' | 'cancelled';

export interface Order extends Omit<CreateOrder, 'id'> {
  id: string;
  status: OrderStatus;
  /** the hub the order is consolidated through (pickup at a hub) */
  hubId?: string;
  vehicleId?: string;
  /** estimated arrival at the delivery address */
  eta?: number;
  /** why it is unassigned or failed */
  reason?: string;
  proof?: ProofOfDelivery;
  createdAt: number;
  updatedAt: number;
}

export interface PlanStop {
  orderId: string;
  kind: 'pickup' | 'delivery';
  location: [number, number];
  /** estimated arrival and service start */
  eta: number;
  start: number;
  /** fixed: the vehicle has started it or is on its way */
  committed: boolean;
  status: 'planned' | 'arrived' | 'done' | 'failed';
}

export interface Plan {
  vehicleId: string;
  hubId: string;
  version: number;
  createdAt: number;
  stops: PlanStop[];
  /** estimated return to the hub */
  returnEta?: number;
  distanceMetres: number;
}

export const proofSchema = z.object({
  signedBy: z.string().min(1).max(120).optional(),
  photoRef: z.string().min(1).max(400).optional(),
  note: z.string().max(500).optional(),
}).refine((p) => p.signedBy !== undefined || p.photoRef !== undefined, { message: 'needs signedBy or photoRef' });
export type ProofOfDelivery = z.infer<typeof proofSchema>;

/** driver reports, over HTTP or the socket */
export const arrivedSchema = z.object({ orderId: id, at: time.optional() });
export const deliveredSchema = z.object({ orderId: id, at: time.optional(), proof: proofSchema });
export const failedSchema = z.object({ orderId: id, at: time.optional(), reason: z.string().min(1, 'must not be empty').max(500) });
export const positionSchema = z.object({ location: lonLatSchema, at: time.optional() });
export type DriverReport =
  | ({ event: 'arrived' } & z.infer<typeof arrivedSchema>)
  | ({ event: 'delivered' } & z.infer<typeof deliveredSchema>)
  | ({ event: 'failed' } & z.infer<typeof failedSchema>);

export const optimizeSchema = z.object({
  timeLimitSeconds: z.number().positive().max(120).optional(),
  hubId: id.optional(),
});

export const listOrdersQuerySchema = z.object({
  status: z.enum(['pending', 'planned', 'unassigned', 'arrived', 'picked-up', 'delivered', 'failed', 'cancelled']).optional(),
  vehicleId: id.optional(),
});

/** socket events: server -> client */
export interface LogisticsServerEvents {
  'dispatch:plan': (plan: Plan) => void;
  'dispatch:order': (order: Order) => void;
}
/** socket events: client (driver / vehicle) -> server, each with an ack */
export type DriverAck = (r: { ok: true } | { ok: false; error: { code: string; message: string; field?: string } }) => void;
export interface LogisticsClientEvents {
  arrived: (payload: z.input<typeof arrivedSchema>, ack?: DriverAck) => void;
  delivered: (payload: z.input<typeof deliveredSchema>, ack?: DriverAck) => void;
  failed: (payload: z.input<typeof failedSchema>, ack?: DriverAck) => void;
  position: (payload: z.input<typeof positionSchema>, ack?: DriverAck) => void;
}
