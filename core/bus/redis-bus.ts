import { createClient, type RedisClientType } from 'redis';
import type { EventBus, BusTopic } from './event-bus.js';
import type { BusEvents } from '../contracts/bus-events.js';
import type { Logger } from '../log/index.js';
import { UrbanflowError } from '../errors/index.js';

/**
 * The bus over Redis pub/sub, for several processes. A process receives its own publications
 * through Redis like everyone else's, so every process sees every event exactly once.
 */
export async function createRedisBus(opts: { url: string; prefix?: string; logger?: Logger }): Promise<EventBus> {
  const prefix = `${opts.prefix ?? 'urbanflow:'}bus:`;
  const pub: RedisClientType = createClient({ url: opts.url });
  pub.on('error', (e) => opts.logger?.warn({ err: e }, 'redis bus connection error'));
  try {
    await pub.connect();
  } catch (e) {
    throw new UrbanflowError('UNAVAILABLE', `cannot reach Redis at ${opts.url}: ${(e as Error).message}`, { retryable: true });
  }
  const sub = pub.duplicate();
  sub.on('error', (e) => opts.logger?.warn({ err: e }, 'redis bus connection error'));
  await sub.connect();
  const handlers = new Map<string, Set<(p: unknown) => void>>();
  // a publish right after a subscribe in this process must not race the SUBSCRIBE command
  const subscribing = new Set<Promise<unknown>>();

  return {
    async publish(topic, payload) {
      if (subscribing.size > 0) await Promise.all([...subscribing]);
      await pub.publish(prefix + topic, JSON.stringify(payload));
    },
    subscribe<K extends BusTopic>(topic: K, handler: (payload: BusEvents[K]) => void) {
      let set = handlers.get(topic);
      const h = handler as (p: unknown) => void;
      if (!set) {
        set = new Set();
        handlers.set(topic, set);
        const listeners = set;
        const done: Promise<unknown> = sub.subscribe(prefix + topic, (message) => {
          let payload: unknown;
          try {
            payload = JSON.parse(message);
          } catch {
            opts.logger?.warn({ topic }, 'bus message is not JSON');
            return;
          }
          for (const l of [...listeners]) {
            try {
              l(payload);
            } catch (e) {
              opts.logger?.error({ err: e, topic }, 'bus handler failed');
            }
          }
        });
        subscribing.add(done);
        void done.finally(() => subscribing.delete(done));
      }
      set.add(h);
      return () => {
        set.delete(h);
      };
    },
    async close() {
      handlers.clear();
      if (sub.isOpen) await sub.quit();
      if (pub.isOpen) await pub.quit();
    },
  };
}
