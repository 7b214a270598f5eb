import { createGateway, type Gateway } from '../../gateway/index.js';
import { createTokenSigner } from '../../core/auth/index.js';
import { silentLogger } from '../../core/log/index.js';
import { createSignageRouter } from '../../gateway/http/signage-routes.js';
import { attachSignageSockets } from '../../gateway/sockets/signage-sockets.js';
import { createSignageStaticRouter } from '../../gateway/http/signage-static.js';
import { makeService } from './fixture.js';
import type { SignageDeps } from '../../services/signage/index.js';

/** A real gateway on 127.0.0.1:0 with the signage service mounted as the composition root does. */
export async function startSignageServer(config?: SignageDeps['config']) {
  const signer = createTokenSigner('signage-test-secret-0123456789');
  const ctx = makeService({ config, clockStart: Date.now() });
  // real time for the page's expiry checks
  const clock = ctx.clock;
  clock.set(Date.now());
  const gw: Gateway = await createGateway({
    network: ctx.network,
    signer,
    logger: silentLogger(),
    mounts: [
      {
        name: 'signage',
        router: (auth) => createSignageRouter(ctx.service, auth),
        rootRouter: () => createSignageStaticRouter(),
        sockets: (io, s) => {
          attachSignageSockets(io, ctx.service, s);
        },
      },
    ],
  });
  const { port } = await gw.listen(0, '127.0.0.1');
  await ctx.service.start({ schedules: false });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const r = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const type = r.headers.get('content-type') ?? '';
    return { status: r.status, type, body: type.includes('json') ? await r.json() : await r.arrayBuffer() };
  };
  return {
    ...ctx,
    gw,
    signer,
    base,
    port,
    call,
    tokens: {
      admin: signer.sign('admin', { sub: 'alice' }),
      operator: signer.sign('operator', { sub: 'bob' }),
      operator2: signer.sign('operator', { sub: 'carol' }),
      viewer: signer.sign('viewer', { sub: 'vic' }),
      sign: (id: string) => signer.sign('sign', { sub: id }),
    },
    async close() {
      await ctx.service.stop();
      await gw.close();
    },
  };
}
