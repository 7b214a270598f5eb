import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { UrbanflowError } from '../errors/index.js';
import { isRole, type Role, type TokenClaims } from './roles.js';

/**
 * Signed bearer tokens: base64url(JSON claims) "." base64url(HMAC-SHA256(secret, payload)).
 * A compact JWT-like format of our own: we sign and verify only our own tokens, so the JOSE
 * header and algorithm negotiation (a classic source of JWT bugs) are left out on purpose.
 */
export interface TokenSigner {
  sign(role: Role, opts?: { sub?: string; ttlSeconds?: number }): string;
  verify(token: string): TokenClaims;
}

const DEFAULT_TTL_SECONDS = 24 * 3600;

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function createTokenSigner(secret: string, now: () => number = Date.now): TokenSigner {
  if (secret.length < 16) throw new UrbanflowError('CONFIG', 'token secret must be at least 16 characters', { field: 'tokenSecret' });
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest();

  return {
    sign(role, opts = {}) {
      if (!isRole(role)) throw new UrbanflowError('INVALID_INPUT', `role must be one of the known roles, got '${role}'`, { field: 'role' });
      if ((role === 'sign' || role === 'vehicle') && !opts.sub) {
        throw new UrbanflowError('INVALID_INPUT', `a ${role} token needs a device id`, { field: 'id' });
      }
      const ttl = opts.ttlSeconds ?? DEFAULT_TTL_SECONDS;
      if (!(ttl > 0)) throw new UrbanflowError('INVALID_INPUT', 'ttl must be a positive number of seconds', { field: 'ttl' });
      const iat = Math.floor(now() / 1000);
      const claims: TokenClaims = { role, ...(opts.sub ? { sub: opts.sub } : {}), iat, exp: iat + Math.ceil(ttl) };
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token) {
      const fail = (why: string) => new UrbanflowError('UNAUTHENTICATED', why);
      if (typeof token !== 'string' || token.length > 4096) throw fail('token missing or malformed');
      const dot = token.indexOf('.');
      if (dot <= 0 || dot !== token.lastIndexOf('.')) throw fail('token malformed');
      const payload = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw fail('token signature invalid');
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw fail('token payload malformed');
      }
      const c = claims as Partial<TokenClaims>;
      if (!isRole(c.role) || typeof c.exp !== 'number' || typeof c.iat !== 'number') throw fail('token claims malformed');
      if (c.exp * 1000 <= now()) throw fail('token expired');
      return { role: c.role, exp: c.exp, iat: c.iat, ...(typeof c.sub === 'string' ? { sub: c.sub } : {}) };
    },
  };
}
