import type { Server, Socket } from 'socket.io';
import type { Role } from '../../core/auth/index.js';
import { UrbanflowError } from '../../core/errors/index.js';
import { guidancePositionSchema, guidanceStartSchema, transitCheckSchema, type PlanOption } from '../../core/contracts/routing.js';
import type { GuidanceSession, RoutingService } from '../../services/routing/index.js';
import { parseInput } from '../http/validate.js';
import { socketClaims } from './socket-auth.js';

export const GUIDANCE_ROLES: readonly Role[] = ['driver', 'vehicle', 'traveller'];

/**
 * Live guidance over socket.io: `guidance:start` (a route request) opens one session per socket,
 * `guidance:position` moves it along, `guidance:stop` or a disconnect ends it. The server pushes
 * guidance:started / eta / reroute / progress / error / ended. Sessions live in this process's memory.
 * Transit travellers send `guidance:transit-watch { option }` (an option from /api/plan) and receive
 * `guidance:transit-alert` whenever GTFS-Realtime data breaks one of its connections.
 */
export function attachRoutingSockets(io: Server, service: RoutingService): void {
  io.on('connection', (socket: Socket) => {
    let session: GuidanceSession | null = null;
    let transitWatch: { close(): void } | null = null;
    const fail = (e: unknown) => {
      const body = e instanceof UrbanflowError ? { code: e.code, message: e.message, field: e.field } : { code: 'INTERNAL', message: 'internal error' };
      socket.emit('guidance:error', body);
    };
    const end = (reason: string) => {
      if (!session) return;
      const id = session.id;
      session.close();
      session = null;
      socket.emit('guidance:ended', { sessionId: id, reason });
    };
    socket.on('guidance:start', (payload: unknown) => {
      try {
        const role = socketClaims(socket)?.role;
        if (!GUIDANCE_ROLES.includes(role)) throw new UrbanflowError('FORBIDDEN', `role ${role} may not open a guidance session`, { field: 'role' });
        const req = parseInput(guidanceStartSchema, payload);
        if (req.algorithm === 'reference') throw new UrbanflowError('INVALID_INPUT', 'algorithm reference is not available for guidance', { field: 'algorithm' });
        end('replaced');
        const opened = service.openGuidance(req, {
          eta: (p) => socket.emit('guidance:eta', p),
          reroute: (p) => socket.emit('guidance:reroute', p),
          progress: (p) => socket.emit('guidance:progress', p),
        });
        session = opened.session;
        socket.emit('guidance:started', { sessionId: opened.session.id, route: opened.route });
      } catch (e) {
        fail(e);
      }
    });
    socket.on('guidance:position', (payload: unknown) => {
      try {
        if (!session) throw new UrbanflowError('CONFLICT', 'no guidance session: send guidance:start first');
        session.position(parseInput(guidancePositionSchema, payload));
      } catch (e) {
        fail(e);
      }
    });
    socket.on('guidance:transit-watch', (payload: unknown) => {
      try {
        const role = socketClaims(socket)?.role;
        if (!GUIDANCE_ROLES.includes(role)) throw new UrbanflowError('FORBIDDEN', `role ${role} may not watch a journey`, { field: 'role' });
        if (!service.transit) throw new UrbanflowError('UNAVAILABLE', 'no public transport feed is loaded');
        const { option } = parseInput(transitCheckSchema, payload);
        transitWatch?.close();
        transitWatch = service.transit.watchJourney(option as unknown as PlanOption, (alert) => socket.emit('guidance:transit-alert', alert));
        socket.emit('guidance:transit-watching', { legs: option.legs.length });
      } catch (e) {
        fail(e);
      }
    });
    socket.on('guidance:stop', () => {
      end('stopped');
      transitWatch?.close();
      transitWatch = null;
    });
    socket.on('disconnect', () => {
      session?.close();
      session = null;
      transitWatch?.close();
      transitWatch = null;
    });
  });
}
