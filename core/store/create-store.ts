import type { Store } from './store.js';
import { createEmbeddedStore } from './embedded-store.js';
import { createRedisStore } from './redis-store.js';
import type { Logger } from '../log/index.js';

/** Redis when a URL is configured, else the embedded journal store in dataDir. */
export async function createStore(opts: { redisUrl?: string; dataDir: string; logger?: Logger; prefix?: string }): Promise<Store> {
  if (opts.redisUrl) return createRedisStore({ url: opts.redisUrl, logger: opts.logger, prefix: opts.prefix });
  return createEmbeddedStore({ dir: opts.dataDir });
}
