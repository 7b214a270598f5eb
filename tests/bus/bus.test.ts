import { randomUUID } from 'node:crypto';
import { describe, it, expect, afterEach } from 'vitest';
import { createMemoryBus, createRedisBus, type EventBus } from '../../core/bus/index.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
type Make = () => Promise<EventBus>;

function until(check: () => boolean, ms = 3000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (check()) {
        clearInterval(t);
        resolve();
      } else if (Date.now() - start > ms) {
        clearInterval(t);
        reject(new Error('condition not met in time'));
      }
    }, 5);
  });
}

function busSpec(name: string, make: Make, makePeer?: (prefixOf: EventBus) => Promise<EventBus>) {
  describe(`EventBus: ${name}`, () => {
    const open: EventBus[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    it('delivers a publication to every subscriber of the topic and none other', async () => {
      const bus = await make();
      open.push(bus);
      const a: number[] = [];
      const b: number[] = [];
      const other: unknown[] = [];
      bus.subscribe('signage:state', (p) => a.push(p.version));
      bus.subscribe('signage:state', (p) => b.push(p.version));
      bus.subscribe('logistics:plan', (p) => other.push(p));
      await bus.publish('signage:state', { signId: 's1', version: 7 });
      await until(() => a.length === 1 && b.length === 1);
      expect(a).toEqual([7]);
      expect(other).toEqual([]);
    });

    it('stops delivering after unsubscribe and survives a throwing handler', async () => {
      const bus = await make();
      open.push(bus);
      const got: number[] = [];
      bus.subscribe('signage:state', () => {
        throw new Error('handler bug');
      });
      const off = bus.subscribe('signage:state', (p) => got.push(p.version));
      await bus.publish('signage:state', { signId: 's', version: 1 });
      await until(() => got.length === 1);
      off();
      await bus.publish('signage:state', { signId: 's', version: 2 });
      await new Promise((r) => setTimeout(r, 50));
      expect(got).toEqual([1]);
    });

    if (makePeer) {
      it('carries events between two processes’ buses', async () => {
        const a = await make();
        const b = await makePeer(a);
        open.push(a, b);
        const seen: string[] = [];
        b.subscribe('signage:state', (p) => seen.push(p.signId));
        await new Promise((r) => setTimeout(r, 50));
        await a.publish('signage:state', { signId: 'from-a', version: 1 });
        await until(() => seen.length === 1);
        expect(seen).toEqual(['from-a']);
      });
    }
  });
}

busSpec('memory', async () => createMemoryBus());
let prefix = '';
busSpec(
  'redis (real server)',
  async () => {
    prefix = `uftest:${randomUUID()}:`;
    return createRedisBus({ url: REDIS_URL, prefix });
  },
  async () => createRedisBus({ url: REDIS_URL, prefix }),
);
