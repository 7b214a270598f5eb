import type { BusEvents } from '../contracts/bus-events.js';

/**
 * Services talk to each other through topics, never through each other's files. In one
 * process the bus is in memory; with REDIS_URL it runs over Redis pub/sub so several
 * processes see the same events. Handlers must not throw into the publisher.
 */
export type BusTopic = keyof BusEvents & string;

export interface EventBus {
  publish<K extends BusTopic>(topic: K, payload: BusEvents[K]): Promise<void>;
  subscribe<K extends BusTopic>(topic: K, handler: (payload: BusEvents[K]) => void): () => void;
  close(): Promise<void>;
}
