import type { EventBus, BusTopic } from './event-bus.js';
import type { BusEvents } from '../contracts/bus-events.js';
import type { Logger } from '../log/index.js';

/**
 * In-process bus. Delivery is asynchronous (next microtask) so a publisher never runs a
 * subscriber's code inside its own call stack, and a throwing handler is logged, not rethrown.
 */
export function createMemoryBus(logger?: Logger): EventBus {
  const handlers = new Map<string, Set<(p: unknown) => void>>();
  return {
    async publish(topic, payload) {
      const set = handlers.get(topic);
      if (!set || set.size === 0) return;
      const snapshot = [...set];
      await Promise.resolve();
      for (const h of snapshot) {
        try {
          h(payload);
        } catch (e) {
          logger?.error({ err: e, topic }, 'bus handler failed');
        }
      }
    },
    subscribe<K extends BusTopic>(topic: K, handler: (payload: BusEvents[K]) => void) {
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      const h = handler as (p: unknown) => void;
      set.add(h);
      return () => {
        set.delete(h);
      };
    },
    async close() {
      handlers.clear();
    },
  };
}
