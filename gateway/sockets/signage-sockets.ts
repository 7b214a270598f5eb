import type { Server, Socket } from 'socket.io';
import type { TokenSigner } from '../../core/auth/index.js';
import { signAckSchema } from '../../core/contracts/signage.js';
import type { SignageService } from '../../services/signage/index.js';
import { parseInput } from '../http/validate.js';
import { authenticateNamespace, emitSocketError, socketClaims } from './socket-auth.js';

export const SIGNS_NAMESPACE = '/signs';

/**
 * Namespace /signs: only sign devices, each identified by its token's `sub`. The server puts a
 * sign in its own room and its groups' rooms; it sends the full `sign:state` on every
 * (re)connect and after every change, and records the `sign:ack {version}` it gets back.
 */
export function attachSignageSockets(io: Server, service: SignageService, signer: TokenSigner): () => void {
  const nsp = io.of(SIGNS_NAMESPACE);
  authenticateNamespace(nsp, signer, ['sign']);
  nsp.use((socket, next) => {
    const id = socketClaims(socket).sub;
    const refuse = () => {
      const err = new Error(`sign ${id ?? '?'} is not registered`) as Error & { data?: unknown };
      err.data = { code: 'NOT_FOUND', message: err.message };
      next(err);
    };
    if (!id) return refuse();
    service.hasSign(id).then((known) => (known ? next() : refuse()), refuse);
  });
  nsp.on('connection', (socket: Socket) => {
    const id = socketClaims(socket).sub!;
    void socket.join([`sign:${id}`, ...service.getSign(id).groups.map((g) => `group:${g}`)]);
    service.setConnected(id, true);
    socket.emit('sign:state', service.signState(id));
    socket.on('sign:ack', async (payload: unknown, cb?: unknown) => {
      try {
        const { version } = parseInput(signAckSchema, payload);
        const rec = await service.acknowledge(id, version);
        if (typeof cb === 'function') cb({ ok: true, ...rec });
      } catch (e) {
        emitSocketError(socket, e, 'sign:error');
        if (typeof cb === 'function') cb({ ok: false });
      }
    });
    socket.on('disconnect', () => service.setConnected(id, false));
  });
  return service.onStateChange((payload) => {
    nsp.to(`sign:${payload.signId}`).emit('sign:state', payload);
  });
}
