import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config/index.js';
import type { TokenSigner } from '../core/auth/index.js';
import type { Logger } from '../core/log/index.js';
import type { Store } from '../core/store/index.js';
import type { EventBus } from '../core/bus/index.js';
import type { Clock } from '../core/clock/index.js';
import type { RoadNetwork } from '../core/graph/index.js';
import type { ServiceDeps } from '../core/service-deps.js';
import type { GatewayMount } from '../gateway/index.js';
import { createTrafficRouter } from '../gateway/http/traffic-routes.js';
import { attachTrafficSockets } from '../gateway/sockets/traffic-sockets.js';
import { createRoutingRouter } from '../gateway/http/routing-routes.js';
import { attachRoutingSockets } from '../gateway/sockets/guidance-sockets.js';
import { createSignageRouter } from '../gateway/http/signage-routes.js';
import { createSignageStaticRouter } from '../gateway/http/signage-static.js';
import { attachSignageSockets } from '../gateway/sockets/signage-sockets.js';
import { createLogisticsRouter } from '../gateway/http/logistics-routes.js';
import { attachLogisticsSockets } from '../gateway/sockets/logistics-sockets.js';
import { createTransitRouter } from '../gateway/http/transit-routes.js';
import { createMapsRouter } from '../gateway/http/maps-routes.js';
import { createTrafficService, type TrafficService } from '../services/traffic/index.js';
import { createRoutingService, type RoutingService } from '../services/routing/index.js';
import { createSignageService } from '../services/signage/index.js';
import { createLogisticsService, type LogisticsService } from '../services/logistics/index.js';
import { defaultRheinNeckarFleet } from './default-fleet.js';

export interface RunningServices {
  /** load durable state and, unless schedules is false, start the node-cron schedules */
  start(opts?: { schedules?: boolean }): Promise<void>;
  stop(): Promise<void>;
  traffic: TrafficService;
  routing: RoutingService;
  signage: ReturnType<typeof createSignageService>;
  logistics: LogisticsService;
}

export interface ServiceWiring {
  config: Config;
  network: RoadNetwork;
  store: Store;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  signer: TokenSigner;
  /** true when the network is the embedded Rhein-Neckar one (then the embedded rnv feed fits it) */
  embeddedCity: boolean;
}

const REPO_ROOT = join(import.meta.dirname, '..');
export const DEFAULT_GTFS = join(REPO_ROOT, 'fixtures', 'gtfs', 'rnv-gtfs-2016.zip');

/**
 * Creates every service on the shared core, hands each the narrow functions it needs from the
 * others (never their files), and returns the gateway mounts that expose them.
 */
export async function createServiceMounts(w: ServiceWiring): Promise<{ mounts: GatewayMount[]; services: RunningServices }> {
  const { config, network, logger } = w;
  const base = (name: string): ServiceDeps => ({ network, live: network.live, bus: w.bus, store: w.store, clock: w.clock, logger: logger.child({ service: name }) });

  const traffic = await createTrafficService({ ...base('traffic'), liveWriter: network.liveWriterForTraffic(), config: config.traffic as never });

  // the embedded rnv feed belongs to the embedded Rhein-Neckar network; another city brings its own feed
  const gtfs = config.gtfs ?? (w.embeddedCity && existsSync(DEFAULT_GTFS) ? DEFAULT_GTFS : undefined);
  const routing = createRoutingService({
    // settings first: they may tune routing (eagerCustomise ...) but never replace the shared core
    ...(config.routing as object),
    ...base('routing'),
    // routing asks for seconds; traffic forecasts speeds (0 = closed then)
    forecast: (edge, minutesAhead) => {
      const kmh = traffic.forecastSpeed(edge, minutesAhead);
      if (!(kmh > 0)) return Infinity;
      return Math.max(network.data.edgeFreeFlowSeconds[edge], network.data.edgeLength[edge] / (kmh / 3.6));
    },
    ...(gtfs ? { transit: { gtfs } } : {}),
  });

  const signage = createSignageService({
    ...base('signage'),
    config: config.signage as never,
    travelTime: async (from, to) => {
      const r = routing.route({ from: { lon: from[0], lat: from[1] }, to: { lon: to[0], lat: to[1] }, mode: 'car' });
      return r.found ? r.best.seconds : undefined;
    },
  });

  const logistics = createLogisticsService({
    ...base('logistics'),
    config: config.logistics as never,
    // dispatch plans on routing's matrix over live travel times
    travelMatrix: async (points, mode) => {
      const m = routing.matrix(points, mode);
      return { seconds: m.seconds, metres: m.metres };
    },
    // a fresh embedded city starts with a fleet (only when the store holds none)
    ...(w.embeddedCity ? { fleet: defaultRheinNeckarFleet(w.clock.now()) } : {}),
  });

  const mounts: GatewayMount[] = [
    { name: 'traffic', router: (auth) => createTrafficRouter(traffic, auth), sockets: (io) => void attachTrafficSockets(io, traffic) },
    { name: 'routing', router: (auth) => createRoutingRouter(routing, auth), sockets: (io) => attachRoutingSockets(io, routing) },
    { name: 'transit', router: (auth) => createTransitRouter(routing, auth) },
    {
      name: 'maps',
      router: (auth) =>
        createMapsRouter(
          {
            network,
            // live speed over free-flow speed from traffic's own per-edge state (0 = closed)
            congestion: (e) => {
              const s = traffic.edgeState(e);
              return s.closed ? 0 : s.travelTimeSeconds ? s.freeFlowSeconds / s.travelTimeSeconds : undefined;
            },
            route: (req) => routing.route(req),
          },
          auth,
        ),
    },
    { name: 'logistics', router: (auth) => createLogisticsRouter(logistics, auth), sockets: (io) => void attachLogisticsSockets(io, logistics) },
    {
      name: 'signage',
      router: (auth) => createSignageRouter(signage, auth),
      rootRouter: () => createSignageStaticRouter(),
      sockets: (io, signer) => void attachSignageSockets(io, signage, signer),
    },
  ];

  return {
    mounts,
    services: {
      traffic,
      routing,
      signage,
      logistics,
      async start(opts = {}) {
        const schedules = opts.schedules !== false;
        // build the car index now, so the first route request does not pay for it
        routing.warm(['car']);
        await traffic.start({ schedules });
        await signage.start({ schedules });
        await logistics.start({ schedules });
      },
      async stop() {
        await logistics.stop();
        await signage.stop();
        await traffic.stop();
        routing.close();
      },
    },
  };
}
