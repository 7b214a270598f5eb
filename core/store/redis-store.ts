import { createClient, type RedisClientType } from 'redis';
import type { Store } from './store.js';
import { checkKey } from './memory-state.js';
import { UrbanflowError } from '../errors/index.js';
import type { Logger } from '../log/index.js';

export interface RedisStoreOptions {
  url: string;
  /** key prefix, so several deployments (or test runs) share one Redis */
  prefix?: string;
  logger?: Logger;
}

/**
 * The distributed store: collections are hashes (`<prefix>c:<collection>`), logs are lists with
 * a counter (`<prefix>l:<log>`), written in MULTI transactions. A write resolves when Redis has
 * acknowledged it; how durable that is across a Redis restart depends on the server's
 * persistence (appendonly yes, appendfsync always), which we check and warn about at start.
 */
export async function createRedisStore(opts: RedisStoreOptions): Promise<Store> {
  const prefix = opts.prefix ?? 'urbanflow:';
  const client: RedisClientType = createClient({ url: opts.url, socket: { reconnectStrategy: (n) => Math.min(50 * 2 ** n, 2000) } });
  client.on('error', (e) => opts.logger?.warn({ err: e }, 'redis store connection error'));
  try {
    await client.connect();
  } catch (e) {
    throw new UrbanflowError('UNAVAILABLE', `cannot reach Redis at ${opts.url}: ${(e as Error).message}`, { retryable: true, cause: e });
  }
  try {
    const conf = await client.configGet('appendonly');
    if (conf.appendonly !== 'yes') opts.logger?.warn('Redis runs without appendonly: acknowledged writes survive a process crash but not a Redis restart');
  } catch {
    // CONFIG may be disabled on managed Redis; nothing to check then
  }
  const ck = (c: string) => `${prefix}c:${c}`;
  const lk = (l: string) => `${prefix}l:${l}`;
  const unavailable = (e: unknown) => new UrbanflowError('UNAVAILABLE', `Redis: ${(e as Error).message}`, { retryable: true, cause: e });
  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw unavailable(e);
    }
  };

  return {
    kind: 'redis',
    put: (c, id, v) =>
      guard(async () => {
        checkKey('collection', c);
        checkKey('id', id);
        await client.hSet(ck(c), id, JSON.stringify(v ?? null));
      }),
    get: (c, id) =>
      guard(async () => {
        const raw = await client.hGet(ck(c), id);
        return (raw == null ? undefined : JSON.parse(raw)) as never;
      }),
    delete: (c, id) => guard(async () => (await client.hDel(ck(c), id)) > 0),
    list: (c) =>
      guard(async () => {
        const all = await client.hGetAll(ck(c));
        return Object.values(all).map((raw) => JSON.parse(raw)) as never;
      }),
    append: (l, e) =>
      guard(async () => {
        checkKey('log', l);
        // RPUSH returns the new length, which is the entry's 1-based sequence number
        return Number(await client.rPush(lk(l), JSON.stringify(e ?? null)));
      }),
    readLog: (l, fromSeq = 1, limit = Infinity) =>
      guard(async () => {
        const start = Math.max(0, fromSeq - 1);
        const stop = Number.isFinite(limit) ? start + limit - 1 : -1;
        const raws = await client.lRange(lk(l), start, stop);
        return raws.map((raw, i) => ({ seq: start + i + 1, entry: JSON.parse(raw) })) as never;
      }),
    async flush() {},
    async close() {
      if (client.isOpen) await client.quit();
    },
  };
}
