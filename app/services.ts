import type { Config } from '../core/config/index.js';
import type { TokenSigner } from '../core/auth/index.js';
import type { Logger } from '../core/log/index.js';
import type { Store } from '../core/store/index.js';
import type { EventBus } from '../core/bus/index.js';
import type { Clock } from '../core/clock/index.js';
import type { RoadNetwork } from '../core/graph/index.js';
import type { GatewayMount } from '../gateway/index.js';

export interface RunningServices {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** the services by name, for tests and the CLI */
  byName: Record<string, unknown>;
}

export interface ServiceWiring {
  config: Config;
  network: RoadNetwork;
  store: Store;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  signer: TokenSigner;
}

/** Creates every service on the shared core and the gateway mounts that expose them. */
export async function createServiceMounts(w: ServiceWiring): Promise<{ mounts: GatewayMount[]; services: RunningServices }> {
  const mounts: GatewayMount[] = [];
  const byName: Record<string, unknown> = {};
  const starters: (() => Promise<void> | void)[] = [];
  const stoppers: (() => Promise<void> | void)[] = [];
  void w;
  return {
    mounts,
    services: {
      byName,
      async start() {
        for (const s of starters) await s();
      },
      async stop() {
        for (const s of stoppers.reverse()) await s();
      },
    },
  };
}
