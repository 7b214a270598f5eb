import { mkdtempSync, writeFileSync, readdirSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { createMemoryStore, createEmbeddedStore, createRedisStore } from '../../core/store/index.js';
import { storeSpec } from './store-spec.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

storeSpec('memory', async () => createMemoryStore());

let dir = '';
storeSpec(
  'embedded',
  async () => {
    dir = mkdtempSync(join(tmpdir(), 'uf-store-'));
    return createEmbeddedStore({ dir, compactBytes: 2048 });
  },
  async (s) => {
    await s.close();
    return createEmbeddedStore({ dir, compactBytes: 2048 });
  },
);

let prefix = '';
storeSpec(
  'redis (real server)',
  async () => {
    prefix = `uftest:${randomUUID()}:`;
    return createRedisStore({ url: REDIS_URL, prefix });
  },
  async (s) => {
    await s.close();
    return createRedisStore({ url: REDIS_URL, prefix });
  },
);

describe('embedded store files', () => {
  it('compacts into a snapshot and keeps a single live journal', async () => {
    const d = mkdtempSync(join(tmpdir(), 'uf-store-'));
    const s = await createEmbeddedStore({ dir: d, compactBytes: 1000 });
    for (let i = 0; i < 200; i++) await s.put('c', `k${i % 10}`, { i, pad: 'x'.repeat(40) });
    await s.close();
    const files = readdirSync(d).sort();
    expect(files).toContain('snapshot.json');
    expect(files.filter((f) => f.startsWith('journal-')).length).toBe(1);
    const again = await createEmbeddedStore({ dir: d });
    expect(await again.get('c', 'k9')).toEqual({ i: 199, pad: 'x'.repeat(40) });
    await again.close();
  });

  it('drops a torn last journal line (a crash mid-write) and keeps the rest', async () => {
    const d = mkdtempSync(join(tmpdir(), 'uf-store-'));
    const s = await createEmbeddedStore({ dir: d });
    await s.put('c', 'a', 1);
    await s.put('c', 'b', 2);
    await s.close();
    appendFileSync(join(d, 'journal-0.log'), '1234abcd {"op":"put","c":"c","id":"x","v":');
    const again = await createEmbeddedStore({ dir: d });
    expect(await again.get('c', 'a')).toBe(1);
    expect(await again.get('c', 'b')).toBe(2);
    expect(await again.get('c', 'x')).toBeUndefined();
    await again.close();
  });

  it('refuses an unreadable snapshot with a clear error', async () => {
    const d = mkdtempSync(join(tmpdir(), 'uf-store-'));
    writeFileSync(join(d, 'snapshot.json'), '{not json');
    await expect(createEmbeddedStore({ dir: d })).rejects.toThrow(/snapshot unreadable/);
  });
});
