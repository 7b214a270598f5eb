import type { Server, Socket } from 'socket.io';
import type { Role } from '../../core/auth/index.js';
import { UrbanflowError, isUrbanflowError } from '../../core/errors/index.js';
import type { DriverAck, Plan } from '../../core/contracts/logistics.js';
import type { LogisticsService } from '../../services/logistics/index.js';
import { socketClaims } from './socket-auth.js';

const DRIVER_ROLES: ReadonlySet<Role> = new Set<Role>(['vehicle', 'driver']);
const DISPATCH_ROLES: ReadonlySet<Role> = new Set<Role>(['dispatcher', 'admin', 'operator']);

export const vehicleRoom = (id: string) => `vehicle:${id}`;
export const dispatchRoom = (hubId: string) => `dispatch:${hubId}`;
export const DISPATCH_ALL = 'dispatch:all';

/**
 * Rooms are assigned here, never chosen by clients: a vehicle/driver socket (sub = vehicle id) joins
 * vehicle:<id>; a dispatcher joins dispatch:<hubId> when its token's sub names a hub, else dispatch:all.
 * Each changed plan goes to its vehicle's room, its hub's room and dispatch:all as `dispatch:plan`.
 * Drivers report `arrived`, `delivered` (with proof), `failed` and `position`, each with an ack.
 */
export function attachLogisticsSockets(io: Server, service: LogisticsService): () => void {
  const off = service.onPlan((plan: Plan) => {
    io.to([vehicleRoom(plan.vehicleId), dispatchRoom(plan.hubId), DISPATCH_ALL]).emit('dispatch:plan', plan);
  });

  io.on('connection', (socket: Socket) => {
    const claims = socketClaims(socket);
    if (!claims) return;
    if (DRIVER_ROLES.has(claims.role) && claims.sub) {
      const vehicleId = claims.sub;
      void socket.join(vehicleRoom(vehicleId));
      const plan = service.getPlan(vehicleId);
      if (plan) socket.emit('dispatch:plan', plan);
      const handle = (event: 'arrived' | 'delivered' | 'failed' | 'position') => (payload: unknown, ack?: DriverAck) => {
        const reply = typeof ack === 'function' ? ack : () => {};
        const body = (payload ?? {}) as Record<string, unknown>;
        const work = event === 'position'
          ? service.updatePosition(vehicleId, body)
          : service.report(vehicleId, { ...body, event } as never);
        work.then(
          () => reply({ ok: true }),
          (e: unknown) => reply({ ok: false, error: isUrbanflowError(e) ? { code: String(e.code), message: e.message, field: e.field } : { code: 'INTERNAL', message: 'internal error' } }),
        );
      };
      socket.on('arrived', handle('arrived'));
      socket.on('delivered', handle('delivered'));
      socket.on('failed', handle('failed'));
      socket.on('position', handle('position'));
    } else if (DISPATCH_ROLES.has(claims.role)) {
      const hub = claims.sub && service.listHubs().some((h) => h.id === claims.sub) ? claims.sub : undefined;
      void socket.join(hub ? dispatchRoom(hub) : DISPATCH_ALL);
    } else {
      // other roles get nothing from logistics; say so once instead of silently ignoring them
      const refuse = (_p: unknown, ack?: DriverAck) => {
        const e = new UrbanflowError('FORBIDDEN', `role ${claims.role} may not report deliveries`, { field: 'role' });
        if (typeof ack === 'function') ack({ ok: false, error: { code: 'FORBIDDEN', message: e.message, field: 'role' } });
      };
      for (const ev of ['arrived', 'delivered', 'failed', 'position']) socket.on(ev, refuse);
    }
  });
  return off;
}
