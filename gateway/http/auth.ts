import type { RequestHandler, Response } from 'express';
import { UrbanflowError } from '../../core/errors/index.js';
import type { Role, TokenClaims, TokenSigner } from '../../core/auth/index.js';

/** Middleware factory every router uses: `auth.require('operator', 'admin')`. */
export interface HttpAuth {
  require(...roles: Role[]): RequestHandler;
}

export function claimsOf(res: Response): TokenClaims {
  const c = res.locals.auth as TokenClaims | undefined;
  if (!c) throw new UrbanflowError('UNAUTHENTICATED', 'not authenticated');
  return c;
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1] : undefined;
}

export function createHttpAuth(signer: TokenSigner): HttpAuth {
  return {
    require(...roles) {
      if (roles.length === 0) throw new Error('auth.require needs at least one role');
      const allowed = new Set<Role>(roles);
      return (req, res, next) => {
        const token = bearerToken(req.get('authorization'));
        if (!token) return next(new UrbanflowError('UNAUTHENTICATED', 'Authorization: Bearer TOKEN header required', { field: 'authorization' }));
        let claims: TokenClaims;
        try {
          claims = signer.verify(token);
        } catch (e) {
          return next(e);
        }
        if (!allowed.has(claims.role)) {
          return next(new UrbanflowError('FORBIDDEN', `role ${claims.role} may not ${req.method} ${req.baseUrl}${req.path}`, { field: 'role' }));
        }
        res.locals.auth = claims;
        next();
      };
    },
  };
}
