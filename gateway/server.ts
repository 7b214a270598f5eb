import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Router } from 'express';
import { Server as SocketServer } from 'socket.io';
import type { TokenSigner } from '../core/auth/index.js';
import type { RoadNetwork } from '../core/graph/index.js';
import type { Logger } from '../core/log/index.js';
import { createHttpAuth, type HttpAuth } from './http/auth.js';
import { notFoundHandler, problemHandler } from './http/problem.js';
import { createNetworkRouter } from './http/network-routes.js';
import { authenticateNamespace } from './sockets/socket-auth.js';

/** A service's contribution to the gateway: HTTP routers under /api, socket handlers, static pages. */
export interface GatewayMount {
  name: string;
  /** mounted under /api */
  router?: (auth: HttpAuth) => Router;
  /** mounted at the site root (static pages such as /signage/) */
  rootRouter?: () => Router;
  sockets?: (io: SocketServer, signer: TokenSigner) => void;
}

export interface GatewayOptions {
  network: RoadNetwork;
  signer: TokenSigner;
  logger: Logger;
  mounts: GatewayMount[];
  /** readiness beyond "listening": store reachable, services started */
  isReady?: () => boolean | Promise<boolean>;
  shutdownGraceMs?: number;
  /** attach a socket.io adapter (Redis) before handlers */
  configureIo?: (io: SocketServer) => void | Promise<void>;
}

export interface Gateway {
  app: Express;
  http: HttpServer;
  io: SocketServer;
  auth: HttpAuth;
  listen(port: number, host?: string): Promise<{ port: number }>;
  /** stop taking new work, finish requests in flight, close sockets */
  close(): Promise<void>;
}

export async function createGateway(opts: GatewayOptions): Promise<Gateway> {
  const { logger, signer } = opts;
  const auth = createHttpAuth(signer);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  let closing = false;

  app.use(express.json({ limit: '5mb' }));
  app.get('/health', (_req, res) => {
    res.json({ status: closing ? 'stopping' : 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/ready', async (_req, res) => {
    const ready = !closing && (opts.isReady ? await opts.isReady() : true);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', nodes: opts.network.nodeCount, edges: opts.network.edgeCount });
  });
  app.use('/api', createNetworkRouter(opts.network, auth));
  for (const m of opts.mounts) {
    if (m.router) app.use('/api', m.router(auth));
    if (m.rootRouter) app.use(m.rootRouter());
  }
  app.use(notFoundHandler());
  app.use(problemHandler(logger));

  const http = createServer(app);
  const io = new SocketServer(http, { cors: { origin: false }, serveClient: true });
  if (opts.configureIo) await opts.configureIo(io);
  authenticateNamespace(io.of('/'), signer);
  for (const m of opts.mounts) m.sockets?.(io, signer);

  return {
    app,
    http,
    io,
    auth,
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          resolve({ port: (http.address() as AddressInfo).port });
        });
      });
    },
    async close() {
      closing = true;
      const grace = opts.shutdownGraceMs ?? 10_000;
      // socket.io first: clients see a clean disconnect and reconnect elsewhere
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          http.closeAllConnections();
          resolve();
        }, grace);
        timer.unref();
        http.close(() => {
          clearTimeout(timer);
          resolve();
        });
        http.closeIdleConnections();
      });
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
