import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { createGateway, type Gateway } from '../../gateway/index.js';
import { createTokenSigner } from '../../core/auth/index.js';
import { silentLogger } from '../../core/log/index.js';
import { gridNetwork } from '../helpers/grid-network.js';

const signer = createTokenSigner('test-secret-0123456789');
let gw: Gateway;
let base = '';

beforeAll(async () => {
  gw = await createGateway({ network: gridNetwork(6), signer, logger: silentLogger(), mounts: [] });
  const { port } = await gw.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await gw.close();
});

const get = (path: string, token?: string) => fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('gateway over a real HTTP server', () => {
  it('answers /health and /ready without a token', async () => {
    expect((await get('/health')).status).toBe(200);
    const ready = await get('/ready');
    expect(ready.status).toBe(200);
    expect((await ready.json()).edges).toBe(120);
  });

  it('refuses /api without a token, with a bad token, and with an expired token (401 problem+json)', async () => {
    const none = await get('/api/network');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await none.json()).code).toBe('UNAUTHENTICATED');
    const forged = createTokenSigner('another-secret-0123456').sign('admin');
    expect((await get('/api/network', forged)).status).toBe(401);
    const expired = createTokenSigner('test-secret-0123456789', () => Date.now() - 7200_000).sign('admin', { ttlSeconds: 60 });
    const r = await get('/api/network', expired);
    expect(r.status).toBe(401);
    expect((await r.json()).detail).toMatch(/expired/);
  });

  it('serves the network summary and bbox pages of GeoJSON edges', async () => {
    const t = signer.sign('viewer');
    const summary = await (await get('/api/network', t)).json();
    expect(summary.nodes).toBe(36);
    expect(summary.edgesPerMode.car).toBe(120);
    const all = await (await get('/api/network/edges?bbox=7.9,48.9,8.1,49.1&limit=50', t)).json();
    expect(all.type).toBe('FeatureCollection');
    expect(all.total).toBe(120);
    expect(all.features.length).toBe(50);
    expect(all.nextCursor).toBe(50);
    const last = await (await get('/api/network/edges?bbox=7.9,48.9,8.1,49.1&limit=50&cursor=100', t)).json();
    expect(last.features.length).toBe(20);
    expect(last.nextCursor).toBeNull();
    const corner = await (await get('/api/network/edges?bbox=7.999,48.999,8.0001,49.0001', t)).json();
    expect(corner.total).toBeGreaterThan(0);
    expect(corner.total).toBeLessThan(10);
  });

  it('names the bad field with 400 for a malformed bbox and keeps serving', async () => {
    const t = signer.sign('viewer');
    const r = await get('/api/network/edges?bbox=8,49,7,50', t);
    expect(r.status).toBe(400);
    const body = await r.json();
    expect(body.code).toBe('INVALID_INPUT');
    expect(body.field).toBe('bbox');
    expect((await get('/api/network', t)).status).toBe(200);
  });

  it('answers unknown paths with 404 problem+json and bad JSON bodies with 400', async () => {
    expect((await get('/api/nowhere', signer.sign('admin'))).status).toBe(404);
    const r = await fetch(`${base}/api/network`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(r.status).toBe(400);
    expect((await r.json()).field).toBe('body');
  });

  it('authenticates socket.io handshakes and refuses a missing or forged token', async () => {
    const attempt = (auth: Record<string, unknown>) =>
      new Promise<{ ok: boolean; code?: string; socket: Socket }>((resolve) => {
        const s = connect(base, { auth, transports: ['websocket'], reconnection: false });
        s.on('connect', () => resolve({ ok: true, socket: s }));
        s.on('connect_error', (e: Error & { data?: { code?: string } }) => resolve({ ok: false, code: e.data?.code, socket: s }));
      });
    const good = await attempt({ token: signer.sign('traveller') });
    expect(good.ok).toBe(true);
    good.socket.close();
    const missing = await attempt({});
    expect(missing).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    missing.socket.close();
    const forged = await attempt({ token: createTokenSigner('another-secret-0123456').sign('admin') });
    expect(forged).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    forged.socket.close();
  });
});
