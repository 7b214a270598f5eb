import type { Config } from '../core/config/index.js';
import { createTokenSigner, randomSecret } from '../core/auth/index.js';
import { createLogger, type Logger } from '../core/log/index.js';
import { createStore, type Store } from '../core/store/index.js';
import { createMemoryBus, createRedisBus, type EventBus } from '../core/bus/index.js';
import { systemClock, type Clock } from '../core/clock/index.js';
import type { RoadNetwork } from '../core/graph/index.js';
import { createGateway, type Gateway } from '../gateway/index.js';
import { loadNetwork } from './load-network.js';
import { createServiceMounts, type RunningServices } from './services.js';

export interface Urbanflow {
  gateway: Gateway;
  port: number;
  network: RoadNetwork;
  store: Store;
  bus: EventBus;
  services: RunningServices;
  logger: Logger;
  /** graceful stop: finish requests, stop schedules, flush the store, close sockets */
  stop(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  /** an already loaded network (tests, the simulated city) instead of config.graph */
  network?: RoadNetwork;
  logger?: Logger;
  clock?: Clock;
  /** start node-cron schedules (default true; tests drive ticks by hand) */
  schedules?: boolean;
}

/** The composition root: config -> network, store, bus -> services -> gateway. */
export async function startUrbanflow(opts: StartOptions): Promise<Urbanflow> {
  const { config } = opts;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;

  let secret = config.tokenSecret;
  if (!secret) {
    secret = randomSecret();
    logger.warn('URBANFLOW_TOKEN_SECRET is not set: using a random token key for this run (tokens from `urbanflow token` will not work; an admin token for this run follows)');
  }
  const signer = createTokenSigner(secret);
  if (!config.tokenSecret) logger.info({ adminToken: signer.sign('admin', { ttlSeconds: 12 * 3600 }) }, 'admin token for this run');

  const network = opts.network ?? (await loadNetwork(config, logger));
  const store = await createStore({ redisUrl: config.redisUrl, dataDir: config.dataDir, logger });
  const bus = config.redisUrl ? await createRedisBus({ url: config.redisUrl, logger }) : createMemoryBus(logger);
  logger.info({ store: store.kind, bus: config.redisUrl ? 'redis' : 'memory', nodes: network.nodeCount, edges: network.edgeCount }, 'core ready');

  const { mounts, services } = await createServiceMounts({ config, network, store, bus, clock, logger, signer, embeddedCity: !opts.network && !config.graph });

  let redisAdapterClose: (() => Promise<void>) | undefined;
  const gateway = await createGateway({
    network,
    signer,
    logger,
    mounts,
    shutdownGraceMs: config.shutdownGraceMs,
    isReady: () => true,
    configureIo: config.redisUrl
      ? async (io) => {
          const { attachRedisAdapter } = await import('../gateway/sockets/redis-adapter.js');
          redisAdapterClose = await attachRedisAdapter(io, config.redisUrl!);
        }
      : undefined,
  });
  const { port } = await gateway.listen(config.port, config.host);
  await services.start({ schedules: opts.schedules !== false });
  logger.info({ port }, 'urbanflow listening');

  let stopping: Promise<void> | undefined;
  return {
    gateway,
    port,
    network,
    store,
    bus,
    services,
    logger,
    stop() {
      stopping ??= (async () => {
        await services.stop();
        await gateway.close();
        await redisAdapterClose?.();
        await store.flush();
        await store.close();
        await bus.close();
      })();
      return stopping;
    },
  };
}
