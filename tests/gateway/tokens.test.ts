import { describe, it, expect } from 'vitest';
import { createTokenSigner } from '../../core/auth/index.js';

describe('access tokens', () => {
  const signer = createTokenSigner('a-long-enough-secret');
  it('round-trips role, device id and expiry', () => {
    const c = signer.verify(signer.sign('sign', { sub: 'sign-7', ttlSeconds: 60 }));
    expect(c.role).toBe('sign');
    expect(c.sub).toBe('sign-7');
    expect(c.exp - c.iat).toBe(60);
  });
  it('rejects tampering with the claims', () => {
    const t = signer.sign('viewer');
    const [payload, mac] = t.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.role = 'admin';
    const forged = `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
    expect(() => signer.verify(forged)).toThrow(/signature/);
  });
  it('requires a device id for device roles and a known role', () => {
    expect(() => signer.sign('vehicle')).toThrow(/device id/);
    expect(() => signer.sign('root' as never)).toThrow(/role/);
  });
  it('refuses short secrets', () => {
    expect(() => createTokenSigner('short')).toThrow(/16/);
  });
});
