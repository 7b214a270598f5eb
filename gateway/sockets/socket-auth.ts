import type { Namespace, Socket } from 'socket.io';
import type { Role, TokenClaims, TokenSigner } from '../../core/auth/index.js';
import { isUrbanflowError } from '../../core/errors/index.js';

/**
 * Every namespace authenticates in the handshake (`auth: { token }`). Refusals reach the
 * client as a connect_error whose `data` holds the stable code.
 */
export function authenticateNamespace(nsp: Namespace, signer: TokenSigner, roles?: readonly Role[]): void {
  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const refuse = (code: string, message: string) => {
      const err = new Error(message) as Error & { data?: unknown };
      err.data = { code, message };
      next(err);
    };
    if (typeof token !== 'string') return refuse('UNAUTHENTICATED', 'auth.token required in the handshake');
    let claims: TokenClaims;
    try {
      claims = signer.verify(token);
    } catch (e) {
      return refuse(isUrbanflowError(e) ? e.code : 'UNAUTHENTICATED', (e as Error).message);
    }
    if (roles && !roles.includes(claims.role)) return refuse('FORBIDDEN', `role ${claims.role} may not connect to ${nsp.name}`);
    socket.data.auth = claims;
    next();
  });
}

export function socketClaims(socket: Socket): TokenClaims {
  return socket.data.auth as TokenClaims;
}

/** Send a typed error to one socket without dropping it. */
export function emitSocketError(socket: Socket, e: unknown, event = 'error:input'): void {
  const body = isUrbanflowError(e) ? e.toJSON() : { code: 'INTERNAL', message: 'internal error' };
  socket.emit(event, body);
}
