import type { Server, Socket } from 'socket.io';
import {
  socketProbeSchema,
  trafficSubscribeSchema,
  type SocketErrorAck,
  type TrafficSubscribeAck,
  type TrafficUpdateMessage,
} from '../../core/contracts/traffic.js';
import type { Bbox } from '../../core/contracts/common.js';
import { UrbanflowError, isUrbanflowError } from '../../core/errors/index.js';
import type { TrafficService } from '../../services/traffic/index.js';
import { parseInput } from '../http/validate.js';
import { emitSocketError, socketClaims } from './socket-auth.js';

type Ack = (body: unknown) => void;

const ROOM_PREFIX = 'traffic:bbox:';

/** One room per distinct box (rounded to ~1 m), so subscribers of the same view share one filtering pass. */
function roomFor(bbox: Bbox): { room: string; bbox: Bbox } {
  const r = bbox.map((x) => Math.round(x * 1e5) / 1e5) as Bbox;
  return { room: `${ROOM_PREFIX}${r.join(',')}`, bbox: r };
}

function errorAck(e: unknown): SocketErrorAck {
  if (isUrbanflowError(e)) return { ok: false, code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) };
  return { ok: false, code: 'INTERNAL', message: 'internal error' };
}

function reply(socket: Socket, ack: unknown, e: unknown): void {
  if (typeof ack === 'function') (ack as Ack)(errorAck(e));
  else emitSocketError(socket, e);
}

/**
 * Socket events of the traffic service (sockets arrive authenticated, socket.data.auth):
 * - `traffic:subscribe {bbox}` -> the server puts the socket in a room it names from the box, acks
 *   { ok, room, bbox } and sends `traffic:snapshot` (edges in the box that are not free now);
 *   `traffic:update` messages then carry only edges meeting that box.
 *   A new subscribe replaces the previous box; `traffic:unsubscribe` leaves.
 * - `probe:ping` (vehicle tokens only): one fix or { pings: [...] }; the vehicle id is the token's sub.
 * Updates come from the bus, which every process receives, so each process emits only to its own
 * sockets (io.local): with the Redis adapter nobody gets an update twice.
 * Returns a function that detaches the bus subscription.
 */
export function attachTrafficSockets(io: Server, service: TrafficService): () => void {
  const rooms = new Map<string, Bbox>();

  io.on('connection', (socket) => {
    socket.on('traffic:subscribe', (payload: unknown, ack?: unknown) => {
      try {
        const { bbox } = parseInput(trafficSubscribeSchema, payload);
        const target = roomFor(bbox);
        for (const r of socket.rooms) if (r.startsWith(ROOM_PREFIX) && r !== target.room) void socket.leave(r);
        rooms.set(target.room, target.bbox);
        void socket.join(target.room);
        const body: TrafficSubscribeAck = { ok: true, room: target.room, bbox: target.bbox };
        if (typeof ack === 'function') (ack as Ack)(body);
        // what is already not free in the box, so the client starts from the current picture
        const page = service.edgesInBbox(target.bbox, { minLevel: 'slow', limit: 5000 });
        const snapshot: TrafficUpdateMessage = {
          version: service.stats().liveVersion,
          at: Date.now(),
          bbox: target.bbox,
          edges: page.features.map((f) => ({ edge: f.id, seconds: f.properties.travelTimeSeconds, speedKmh: f.properties.speedKmh, level: f.properties.level, closed: f.properties.closed })),
        };
        socket.emit('traffic:snapshot', snapshot);
      } catch (e) {
        reply(socket, ack, e);
      }
    });

    socket.on('traffic:unsubscribe', (_payload: unknown, ack?: unknown) => {
      for (const r of socket.rooms) if (r.startsWith(ROOM_PREFIX)) void socket.leave(r);
      if (typeof ack === 'function') (ack as Ack)({ ok: true });
    });

    socket.on('probe:ping', async (payload: unknown, ack?: unknown) => {
      try {
        const claims = socketClaims(socket);
        if (claims.role !== 'vehicle' || !claims.sub) {
          throw new UrbanflowError('FORBIDDEN', `role ${claims.role} may not send probe:ping (vehicle tokens only)`, { field: 'role' });
        }
        const p = parseInput(socketProbeSchema, payload);
        const list = 'pings' in p ? p.pings : [p];
        const result = await service.ingestProbes(list.map((x) => ({ ...x, vehicleId: claims.sub! })));
        if (typeof ack === 'function') (ack as Ack)({ ok: true, ...result });
      } catch (e) {
        reply(socket, ack, e);
      }
    });
  });

  return service.onUpdate((u) => {
    const adapterRooms = io.of('/').adapter.rooms;
    for (const [room, bbox] of rooms) {
      if (!adapterRooms.get(room)?.size) {
        rooms.delete(room);
        continue;
      }
      const edges: TrafficUpdateMessage['edges'] = [];
      for (const x of u.edges) {
        if (!service.edgeIntersects(x.edge, bbox)) continue;
        const closed = x.closed === true || x.seconds === Infinity || (x.seconds as number | null) === null;
        edges.push({ edge: x.edge, seconds: closed ? null : x.seconds, speedKmh: x.speedKmh, level: x.level, closed });
      }
      if (edges.length === 0) continue;
      const msg: TrafficUpdateMessage = { version: u.version, at: u.at, bbox, edges };
      io.local.to(room).emit('traffic:update', msg);
    }
  });
}
