/**
 * The durable store. Every method that writes resolves only once the write is durable
 * (fsynced journal line in the embedded store, acknowledged by Redis in the Redis store), so a
 * caller may acknowledge its own client right after. Values are JSON-serialisable.
 */
export interface Store {
  readonly kind: 'embedded' | 'redis' | 'memory';
  put(collection: string, id: string, value: unknown): Promise<void>;
  get<T = unknown>(collection: string, id: string): Promise<T | undefined>;
  /** true when something was deleted */
  delete(collection: string, id: string): Promise<boolean>;
  list<T = unknown>(collection: string): Promise<T[]>;
  /** Append to an ordered log (audit trails, journals); resolves with the entry's sequence number (1, 2, ...). */
  append(log: string, entry: unknown): Promise<number>;
  readLog<T = unknown>(log: string, fromSeq?: number, limit?: number): Promise<{ seq: number; entry: T }[]>;
  /** make everything durable now (e.g. compact the journal into a snapshot) */
  flush(): Promise<void>;
  close(): Promise<void>;
}
